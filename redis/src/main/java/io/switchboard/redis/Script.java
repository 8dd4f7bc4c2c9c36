package io.switchboard.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A Lua script from this package's resources, run by its SHA1 ({@code EVALSHA}) and sent in full only when
 * Redis does not know it yet (first use, or after a restart emptied its script cache).
 */
final class Script {
    private final String source;
    private final String sha;

    /** The resources named, joined in order (shared helper functions first). */
    Script(String... resources) {
        StringBuilder text = new StringBuilder();
        for (String r : resources) text.append(read(r)).append('\n');
        this.source = text.toString();
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
            this.sha = HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the script; its multi-bulk reply holds {@code byte[]} and {@code Long} elements. */
    CompletableFuture<List<Object>> run(RedisAsyncCommands<byte[], byte[]> redis, byte[][] keys, byte[]... args) {
        CompletableFuture<List<Object>> bySha;
        try {
            bySha = redis.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args).toCompletableFuture();
        } catch (RuntimeException e) { // Lettuce may refuse at once while disconnected
            return CompletableFuture.failedFuture(e);
        }
        return bySha.handle((ok, e) -> {
            if (e == null) return CompletableFuture.completedFuture(ok);
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (!(cause instanceof RedisNoScriptException)) return CompletableFuture.<List<Object>>failedFuture(cause);
            try {
                return redis.<List<Object>>eval(source, ScriptOutputType.MULTI, keys, args).toCompletableFuture();
            } catch (RuntimeException refused) {
                return CompletableFuture.<List<Object>>failedFuture(refused);
            }
        }).thenCompose(f -> f);
    }

    private static String read(String name) {
        try (InputStream in = Script.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing script " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
