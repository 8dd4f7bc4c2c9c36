package io.switchboard.testkit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's {@link WebSocket}) that records what the server sends, for tests:
 * every text frame as a Jackson tree ("item"), ping control frames, and the close. Tests wait for what
 * they expect with {@link #awaitItem}, {@link #awaitType} and {@link #awaitClose} (never sleeps), and
 * check nothing else came with {@link #assertExhausted}. Modelled on OkHttp's {@code WebSocketRecorder}.
 *
 * <p>Reading can be {@linkplain #pause() paused}: the client then stops taking frames off the socket, so
 * it sends no pongs either, which is how a test plays a dead or slow client.
 */
public final class WsRecorder implements WebSocket.Listener, AutoCloseable {
    /** How long every await waits before failing the test. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Reads decimals exactly, so a test sees the digits the server sent. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    private static volatile HttpClient defaultClient;

    /** How a session ended: the close frame's code and reason. */
    public record Close(int code, String reason) {}

    private final LinkedBlockingQueue<JsonNode> items = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    private final AtomicInteger pings = new AtomicInteger();
    private final StringBuilder partial = new StringBuilder();
    private final List<JsonNode> seen = new ArrayList<>();
    private volatile WebSocket webSocket;
    private boolean paused;
    private long owed;

    private WsRecorder() {}

    /** Connects to {@code uri} without an Origin header, and waits for the upgrade. */
    public static WsRecorder connect(URI uri) {
        return connect(uri, null);
    }

    /** Connects to {@code uri} with {@code origin} as the Origin header (null for none). */
    public static WsRecorder connect(URI uri, String origin) {
        try {
            return connectAsync(client(), uri, origin).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("WebSocket upgrade to " + uri + " failed", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("WebSocket upgrade to " + uri + " did not complete", e);
        }
    }

    /**
     * Connects to {@code uri} with extra upgrade request headers (e.g. {@code Authorization: Bearer …}),
     * and waits for the upgrade.
     */
    public static WsRecorder connectWithHeaders(URI uri, Map<String, String> headers) {
        try {
            return connectWith(client(), uri, headers).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("WebSocket upgrade to " + uri.getPath() + " failed", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("WebSocket upgrade to " + uri.getPath() + " did not complete", e);
        }
    }

    /** Starts connecting with {@code client}; for tests that open many sessions at once. */
    public static CompletableFuture<WsRecorder> connectAsync(HttpClient client, URI uri, String origin) {
        return connectWith(client, uri, origin == null ? Map.of() : Map.of("Origin", origin));
    }

    private static CompletableFuture<WsRecorder> connectWith(HttpClient client, URI uri, Map<String, String> headers) {
        WsRecorder recorder = new WsRecorder();
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(TIMEOUT);
        headers.forEach(builder::header);
        return builder.buildAsync(uri, recorder).thenApply(ws -> {
            recorder.webSocket = ws;
            return recorder;
        });
    }

    private static HttpClient client() {
        HttpClient c = defaultClient;
        if (c == null) {
            synchronized (WsRecorder.class) {
                c = defaultClient;
                if (c == null) defaultClient = c = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            }
        }
        return c;
    }

    public WebSocket webSocket() {
        return webSocket;
    }

    // ---- sending ----

    /** Sends one text frame and waits until it is handed to the socket. */
    public WsRecorder send(String json) {
        join(webSocket.sendText(json, true));
        return this;
    }

    /** Sends one text message split over several frames (a first frame and continuations). */
    public WsRecorder sendFragments(String... parts) {
        for (int i = 0; i < parts.length; i++) join(webSocket.sendText(parts[i], i == parts.length - 1));
        return this;
    }

    public WsRecorder sendBinary(byte[] bytes) {
        join(webSocket.sendBinary(ByteBuffer.wrap(bytes), true));
        return this;
    }

    /** Sends a ping control frame. */
    public WsRecorder sendPing() {
        join(webSocket.sendPing(ByteBuffer.allocate(0)));
        return this;
    }

    // ---- awaiting ----

    /** The next item, whatever it is. */
    public JsonNode next() {
        JsonNode item;
        try {
            item = items.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (item == null) {
            throw new AssertionError("no item within " + TIMEOUT + "; closed: " + closeState() + "; seen: " + recent());
        }
        synchronized (seen) {
            seen.add(item);
            if (seen.size() > 20) seen.remove(0);
        }
        return item;
    }

    /** The first item matching {@code predicate}; the items before it are dropped. */
    public JsonNode awaitItem(Predicate<JsonNode> predicate) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode item = next();
            if (predicate.test(item)) return item;
        }
        throw new AssertionError("no matching item within " + TIMEOUT + "; seen: " + recent());
    }

    /** The first item of {@code type} ({@code "subscribed"}, {@code "message"}, …). */
    public JsonNode awaitType(String type) {
        return awaitItem(item -> type.equals(item.path("type").asText()));
    }

    /** The answer to the frame sent with {@code "id":id}. */
    public JsonNode awaitRef(long id) {
        return awaitItem(item -> item.path("ref").isIntegralNumber() && item.path("ref").asLong() == id);
    }

    /** Every item up to and including the first matching {@code predicate}, in order. */
    public List<JsonNode> collectUntil(Predicate<JsonNode> predicate) {
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos() * 3;
        while (System.nanoTime() < deadline) {
            JsonNode item = next();
            out.add(item);
            if (predicate.test(item)) return out;
        }
        throw new AssertionError("no matching item within " + TIMEOUT.multipliedBy(3) + "; seen: " + recent());
    }

    /** Waits for the server's close frame and returns its code; fails if the connection broke instead. */
    public int awaitClose() {
        return awaitCloseFrame().code();
    }

    public Close awaitCloseFrame() {
        try {
            return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the connection failed instead of closing", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("not closed within " + TIMEOUT + "; seen: " + recent());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Ping control frames received so far. */
    public int pings() {
        return pings.get();
    }

    /** Takes every item received and not yet taken, without waiting (e.g. what arrived before the server died). */
    public List<JsonNode> drain() {
        List<JsonNode> out = new ArrayList<>();
        items.drainTo(out);
        return out;
    }

    /** Fails unless no item is waiting (heartbeat pings aside) and the session is still open. */
    public void assertExhausted() {
        for (JsonNode item : items) {
            if (!"ping".equals(item.path("type").asText())) throw new AssertionError("unexpected item: " + item);
        }
        if (closed.isDone()) throw new AssertionError("unexpectedly closed: " + closeState());
    }

    // ---- reading control ----

    /** Stops taking frames off the socket (no pongs are sent either) until {@link #resume()}. */
    public synchronized void pause() {
        paused = true;
    }

    public synchronized void resume() {
        paused = false;
        if (owed > 0) {
            webSocket.request(owed);
            owed = 0;
        }
    }

    /** Drops the connection without a close frame. */
    public void abort() {
        WebSocket ws = webSocket;
        if (ws != null) ws.abort();
    }

    /** Closes politely (1000) and waits briefly for the server's answer; aborts if it does not come. */
    @Override
    public void close() {
        WebSocket ws = webSocket;
        if (ws == null || closed.isDone()) {
            abort();
            return;
        }
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
            closed.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Closing is best effort: a test that cares about the close awaits it itself.
        } finally {
            ws.abort();
        }
    }

    // ---- WebSocket.Listener ----

    @Override
    public void onOpen(WebSocket webSocket) {
        this.webSocket = webSocket;
        demand(webSocket);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            try {
                items.add(JSON.readTree(text));
            } catch (IOException e) {
                ObjectNode bad = JSON.createObjectNode();
                bad.put("type", "<not json>");
                bad.put("text", text);
                items.add(bad);
            }
        }
        demand(webSocket);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        ObjectNode bad = JSON.createObjectNode();
        bad.put("type", "<binary>");
        items.add(bad);
        demand(webSocket);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        pings.incrementAndGet(); // the JDK answers with a pong by itself
        demand(webSocket);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        demand(webSocket);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Close(statusCode, reason));
        return null; // the JDK then answers with its own close frame
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    private synchronized void demand(WebSocket ws) {
        if (paused) owed++;
        else ws.request(1);
    }

    private String closeState() {
        if (!closed.isDone()) return "no";
        return closed.handle((c, e) -> e != null ? "failed: " + e : "code " + c.code() + " " + c.reason()).join();
    }

    private List<JsonNode> recent() {
        synchronized (seen) {
            return new ArrayList<>(seen);
        }
    }

    private static void join(CompletableFuture<WebSocket> f) {
        try {
            f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("send failed", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("send did not complete", e);
        }
    }
}
