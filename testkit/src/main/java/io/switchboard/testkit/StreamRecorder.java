package io.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.codec.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A client of the Comet streaming doors over a plain socket, so that what is on the wire is what is
 * recorded: the status and headers, each HTTP chunk as it arrived, and the body's items — one JSON item
 * per line for {@code /stream} (a blank line is a heartbeat), {@code <script>F(ITEM);</script>} for
 * {@code /iframe} (a {@code ping} item is a heartbeat). A refused request keeps its whole body in
 * {@link #body()}.
 *
 * <p>A reader thread parses; the test thread waits with the {@code await…} methods. Close it at the end:
 * the server sees the connection close.
 */
public final class StreamRecorder implements AutoCloseable {
    /** How long the await methods wait unless told otherwise. */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final CompletableFuture<Void> headRead = new CompletableFuture<>();
    private final Object lock = new Object();
    private int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private boolean chunked;
    private final List<byte[]> chunks = new ArrayList<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final StreamItems parsed;
    private boolean lastChunk;
    private boolean ended;
    private volatile boolean closing;

    private StreamRecorder(Socket socket, String callback) {
        this.socket = socket;
        this.parsed = new StreamItems(callback);
    }

    /** {@code GET pathAndQuery} on {@code /stream}'s framing. */
    public static StreamRecorder ndjson(int port, String pathAndQuery) {
        return open(port, pathAndQuery, Map.of(), null);
    }

    /** {@code GET pathAndQuery} on {@code /iframe}'s framing, whose query names {@code callback}. */
    public static StreamRecorder iframe(int port, String pathAndQuery, String callback) {
        return open(port, pathAndQuery, Map.of(), callback);
    }

    /**
     * Sends {@code GET pathAndQuery} with {@code extraHeaders} and returns once the answer's head has
     * arrived. {@code callback} null reads NDJSON, else the iframe's scripts calling it.
     */
    public static StreamRecorder open(int port, String pathAndQuery, Map<String, String> extraHeaders, String callback) {
        Socket socket = new Socket();
        StreamRecorder recorder = new StreamRecorder(socket, callback);
        try {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) TIMEOUT.toMillis());
            StringBuilder head = new StringBuilder("GET ").append(pathAndQuery).append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                    .append(port).append("\r\n");
            extraHeaders.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            OutputStream out = socket.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("stream request to port " + port + " failed", e);
        }
        Thread reader = new Thread(recorder::read, "stream-recorder"); // no query in the name: it may hold a token
        reader.setDaemon(true);
        reader.start();
        try {
            recorder.headRead.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            recorder.close();
            throw new AssertionError("no answer head within " + TIMEOUT.toMillis() + " ms", e);
        }
        return recorder;
    }

    public int status() {
        return status;
    }

    /** The value of header {@code name} (any case), or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Whether the body came with {@code Transfer-Encoding: chunked}. */
    public boolean chunked() {
        return chunked;
    }

    /** Each chunk received so far, as text, in order. */
    public List<String> chunks() {
        synchronized (lock) {
            return chunks.stream().map(c -> new String(c, StandardCharsets.UTF_8)).toList();
        }
    }

    /** The body received so far, as text (a refusal's whole JSON error once {@link #ended()}). */
    public String body() {
        synchronized (lock) {
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    /** The body of a refusal parsed as JSON; waits for its end. */
    public JsonNode bodyJson() {
        awaitEnd();
        return Json.parse(body().getBytes(StandardCharsets.UTF_8));
    }

    /** Every item so far (heartbeats excepted), in order. */
    public List<JsonNode> items() {
        synchronized (lock) {
            return List.copyOf(parsed.items);
        }
    }

    /** Heartbeats so far: blank lines, or the iframe's {@code ping} items. */
    public int heartbeats() {
        synchronized (lock) {
            return parsed.heartbeats;
        }
    }

    /** Parts of the body that were not items in the door's framing; empty when all is well. */
    public List<String> problems() {
        synchronized (lock) {
            return List.copyOf(parsed.problems);
        }
    }

    /** True once the body has ended: last chunk, end of a sized body, or the connection closed. */
    public boolean ended() {
        synchronized (lock) {
            return ended;
        }
    }

    /** True when the server ended a chunked body properly (the zero-length last chunk). */
    public boolean lastChunk() {
        synchronized (lock) {
            return lastChunk;
        }
    }

    /** The session id of the {@code open} item (the first item). */
    public String session() {
        return awaitItem(i -> i.path("type").asText().equals("open")).get("session").asText();
    }

    /**
     * The cursor to send next for {@code channels} (in request order): the {@code open} item's cursor moved
     * past every message and gap received since.
     */
    public String cursor(List<String> channels) {
        JsonNode open = awaitItem(i -> i.path("type").asText().equals("open"));
        String[] slots = open.get("cursor").asText().split(",", -1);
        for (JsonNode item : items()) {
            String type = item.path("type").asText();
            if (type.equals("message") || type.equals("gap")) {
                slots[channels.indexOf(item.get("channel").asText())] =
                        item.get("epoch").asText() + ":" + item.get("offset").asLong();
            }
        }
        return String.join(",", slots);
    }

    /** Waits for the first item (received so far or later) that matches. */
    public JsonNode awaitItem(Predicate<JsonNode> match) {
        return awaitItems(match, 1, TIMEOUT).get(0);
    }

    /** Waits for an item of {@code type}. */
    public JsonNode awaitItem(String type) {
        return awaitItem(i -> i.path("type").asText().equals(type));
    }

    /** Waits until {@code count} items match and returns the first {@code count} of them, in order. */
    public List<JsonNode> awaitItems(Predicate<JsonNode> match, int count, Duration timeout) {
        return awaitState(() -> {
            List<JsonNode> found = new ArrayList<>();
            for (JsonNode i : parsed.items) {
                if (match.test(i)) found.add(i);
                if (found.size() == count) return found;
            }
            return null;
        }, timeout, count + " matching items");
    }

    /** Waits for {@code count} heartbeats in all. */
    public void awaitHeartbeats(int count) {
        awaitState(() -> parsed.heartbeats >= count ? Boolean.TRUE : null, TIMEOUT, count + " heartbeats");
    }

    /** Waits until the body has ended. */
    public void awaitEnd() {
        awaitEnd(TIMEOUT);
    }

    public void awaitEnd(Duration timeout) {
        awaitState(() -> ended ? Boolean.TRUE : null, timeout, "the end of the body");
    }

    private <T> T awaitState(LockWait.Check<T> check, Duration timeout, String what) {
        return LockWait.until(lock, check, timeout, what, () -> "status " + status + ", items " + parsed.items + ", heartbeats " + parsed.heartbeats
                + ", problems " + parsed.problems + ", ended " + ended);
    }

    /** Disconnects, as a page going away: the server sees the connection close. */
    @Override
    public void close() {
        closing = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that already broke
        }
    }

    // ---- the reader thread ----

    private void read() {
        try (InputStream in = new BufferedInputStream(socket.getInputStream())) {
            readHead(in);
            headRead.complete(null);
            String length = header("content-length");
            if (chunked) {
                readChunks(in);
            } else if (length != null) {
                byte[] all = in.readNBytes(Integer.parseInt(length));
                received(all);
            } else {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) >= 0) received(Arrays.copyOf(buf, n));
            }
        } catch (IOException | RuntimeException e) {
            if (!closing && !headRead.isDone()) headRead.completeExceptionally(e);
        } finally {
            synchronized (lock) {
                ended = true;
                lock.notifyAll();
            }
        }
    }

    private void readHead(InputStream in) throws IOException {
        String[] lines = readUntilBlankLine(in).split("\r\n");
        status = Integer.parseInt(lines[0].split(" ")[1]);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        chunked = "chunked".equalsIgnoreCase(header("transfer-encoding"));
    }

    private void readChunks(InputStream in) throws IOException {
        while (true) {
            String sizeLine = readLine(in);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                readUntilBlankLine(in); // trailers
                synchronized (lock) {
                    lastChunk = true;
                }
                return;
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) throw new IOException("connection closed inside a chunk");
            if (!readLine(in).isEmpty()) throw new IOException("chunk not followed by CRLF");
            received(chunk);
        }
    }

    private void received(byte[] chunk) {
        synchronized (lock) {
            chunks.add(chunk);
            body.writeBytes(chunk);
            if (status == 200) parsed.feed(chunk);
            lock.notifyAll();
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) throw new IOException("connection closed inside a line");
            if (b != '\r') line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String readUntilBlankLine(InputStream in) throws IOException {
        StringBuilder out = new StringBuilder();
        String line;
        while (!(line = readLine(in)).isEmpty()) out.append(line).append("\r\n");
        return out.toString();
    }
}
