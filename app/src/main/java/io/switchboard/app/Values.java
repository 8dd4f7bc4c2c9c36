package io.switchboard.app;

import io.switchboard.server.auth.TokenConfig;
import io.switchboard.server.webhook.WebhookConfig;
import io.switchboard.server.http.DisabledDoors;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for the text forms of settings, shared by flags, environment variables and the config file so
 * that {@code 25s} or {@code 64KiB} mean the same everywhere. Each throws {@link IllegalArgumentException}
 * with a short problem description; the caller adds where the value came from.
 */
final class Values {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final Pattern BYTES = Pattern.compile("(\\d{1,10})(KiB|MiB)?");

    private Values() {}

    static String host(String raw) {
        String h = raw.trim();
        if (h.isEmpty() || h.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("'" + raw + "' is not a host name or address");
        }
        return h;
    }

    static int port(String raw) {
        long p = integer(raw, "a port");
        if (p < 0 || p > 65535) throw new IllegalArgumentException(raw.trim() + " is not a port (use 0-65535; 0 picks a free one)");
        return (int) p;
    }

    /**
     * The API key is a credential: the problem description never repeats it. Visible ASCII only, since it
     * travels in an {@code Authorization: Bearer} header.
     */
    static String apiKey(String raw) {
        if (raw.isEmpty() || !raw.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the API key must be visible ASCII characters without spaces");
        }
        return raw;
    }

    /** Comma-separated origins such as {@code https://app.example.com}, or {@code *} for any origin. */
    static List<String> origins(String raw) {
        List<String> origins = new ArrayList<>();
        for (String part : raw.split(",")) {
            String o = part.trim();
            if (o.isEmpty()) continue;
            origins.add(origin(o));
        }
        return List.copyOf(origins);
    }

    private static String origin(String o) {
        if (o.equals("*")) return o;
        String bare = o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
        try {
            URI uri = new URI(bare);
            boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            boolean bareAuthority = uri.getHost() != null && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
            if (web && bareAuthority) return bare;
        } catch (URISyntaxException e) {
            // falls through to the error below, which says what an origin looks like
        }
        throw new IllegalArgumentException("'" + o + "' is not an origin (use scheme://host[:port], e.g. https://app.example.com, or *)");
    }

    /**
     * {@code memory} (one node), or where Redis is: {@code redis://[:PASSWORD@]HOST[:PORT][/DB]}, {@code rediss://…}
     * (TLS) or {@code redis-sentinel://…}. A Redis URL may carry a password, so the problem description never
     * repeats it.
     */
    static String broker(String raw) {
        String b = raw.trim();
        if (b.equals("memory")) return b;
        try {
            URI uri = new URI(b);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            boolean redis = scheme.equals("redis") || scheme.equals("rediss") || scheme.equals("redis-sentinel");
            if (redis && uri.getHost() != null) return b;
        } catch (URISyntaxException e) {
            // falls through to the error below, which says what a broker looks like
        }
        throw new IllegalArgumentException("the broker must be memory or a Redis URL: redis://HOST:PORT,"
                + " rediss://HOST:PORT (TLS) or redis-sentinel://HOST:PORT/?sentinelMasterId=NAME");
    }

    /** Comma-separated webhook receivers, each an http or https URL (see {@link WebhookConfig#url}). */
    static List<URI> webhookUrls(String raw) {
        List<URI> urls = new ArrayList<>();
        for (String part : raw.split(",")) {
            if (part.isBlank()) continue;
            URI url = WebhookConfig.url(part);
            if (urls.contains(url)) throw new IllegalArgumentException("'" + WebhookConfig.redact(url.toString()) + "' is given twice");
            urls.add(url);
        }
        return List.copyOf(urls);
    }

    /** The webhook secret is a credential: like the API key, the problem description never repeats it. */
    static String webhookSecret(String raw) {
        if (raw.isEmpty() || !raw.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("the webhook secret must be visible ASCII characters without spaces");
        }
        return raw;
    }

    /** {@code true} or {@code false}, in any case. */
    static boolean bool(String raw) {
        String s = raw.trim();
        if (s.equalsIgnoreCase("true")) return true;
        if (s.equalsIgnoreCase("false")) return false;
        throw new IllegalArgumentException("'" + raw + "' is not true or false");
    }

    /** Comma-separated door names ({@code ws}, {@code sse}, …, {@code longpoll}) the server does not offer. */
    static List<String> doors(String raw) {
        List<String> doors = new ArrayList<>();
        for (String part : raw.split(",")) {
            String d = part.trim();
            if (d.isEmpty()) continue;
            DisabledDoors.check(d);
            doors.add(d);
        }
        return List.copyOf(doors);
    }

    /** A whole number of bytes, optionally with a {@code KiB} or {@code MiB} suffix; at least 1. */
    static int bytes(String raw) {
        Matcher m = BYTES.matcher(raw.trim());
        if (!m.matches()) throw new IllegalArgumentException("'" + raw + "' is not a size in bytes (e.g. 1048576, 64KiB, 1MiB)");
        long n = Long.parseLong(m.group(1));
        if ("KiB".equals(m.group(2))) n *= 1024;
        if ("MiB".equals(m.group(2))) n *= 1024 * 1024;
        if (n < 1 || n > Integer.MAX_VALUE) throw new IllegalArgumentException(raw.trim() + " is out of range (1 byte to 2 GiB)");
        return (int) n;
    }

    /** A size in bytes as {@link #bytes}, or {@code 0} ("the system's default"). */
    static int bytesOrZero(String raw) {
        return raw.trim().equals("0") ? 0 : bytes(raw);
    }

    static int positive(String raw) {
        long n = integer(raw, "a whole number");
        if (n < 1 || n > Integer.MAX_VALUE) throw new IllegalArgumentException(raw.trim() + " must be at least 1");
        return (int) n;
    }

    static int nonNegative(String raw) {
        long n = integer(raw, "a whole number");
        if (n < 0 || n > Integer.MAX_VALUE) throw new IllegalArgumentException(raw.trim() + " must be 0 or more");
        return (int) n;
    }

    /** A duration such as {@code 500ms}, {@code 25s}, {@code 10m} or {@code 1h}; longer than zero. */
    /** A duration that may be zero (a grace that is off), at most an hour. */
    static Duration grace(String raw) {
        Duration d = anyDuration(raw);
        if (d.compareTo(Duration.ofHours(1)) > 0) throw new IllegalArgumentException(raw.trim() + " is more than 1h");
        return d;
    }

    static Duration duration(String raw) {
        Duration d = anyDuration(raw);
        if (d.isZero()) throw new IllegalArgumentException(raw.trim() + " must be longer than zero");
        return d;
    }

    private static Duration anyDuration(String raw) {
        Matcher m = DURATION.matcher(raw.trim());
        if (!m.matches()) throw new IllegalArgumentException("'" + raw + "' is not a duration (e.g. 500ms, 25s, 10m, 1h)");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /**
     * The HS256 token secret: a credential, so the problem description never repeats it. Its UTF-8 bytes
     * are the HMAC key, which must be at least as long as the SHA-256 hash.
     */
    static String tokenSecret(String raw) {
        if (raw.getBytes(StandardCharsets.UTF_8).length < TokenConfig.MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the token secret must be at least " + TokenConfig.MIN_SECRET_BYTES
                    + " bytes (e.g. openssl rand -base64 32)");
        }
        return raw;
    }

    /** A file name; whether it can be read is checked when the whole configuration is known. */
    static Path file(String raw) {
        String name = raw.trim();
        if (name.isEmpty()) throw new IllegalArgumentException("a file name is needed");
        try {
            return Path.of(name);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + raw + "' is not a file name");
        }
    }

    /** The clock skew allowed for token times: a duration from {@code 0s} to {@code 5m}. */
    static Duration skew(String raw) {
        Duration d = anyDuration(raw);
        if (d.compareTo(TokenConfig.MAX_SKEW) > 0) {
            throw new IllegalArgumentException(raw.trim() + " is more than the " + TokenConfig.MAX_SKEW.toMinutes() + "m a clock may be off");
        }
        return d;
    }

    private static long integer(String raw, String what) {
        String s = raw.trim();
        if (!s.matches("-?\\d{1,12}")) throw new IllegalArgumentException("'" + raw + "' is not " + what);
        return Long.parseLong(s);
    }
}
