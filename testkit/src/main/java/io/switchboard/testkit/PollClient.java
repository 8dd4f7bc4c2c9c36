package io.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.codec.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;

/**
 * A polling client of {@code /poll} or {@code /jsonp}, as a page would write one: it keeps the session id
 * and cursor of each answer and sends them back with the next request. {@link #poll} makes one request;
 * {@link #start} polls in a loop on its own thread (long-polling when {@code wait} > 0) and records every
 * item received, for tests that only care what arrives.
 */
public final class PollClient implements AutoCloseable {
    /** One answer: status, headers, raw body, and the JSON inside (unwrapped from the JSONP call). */
    public record Answer(int status, java.net.http.HttpHeaders headers, String body, JsonNode json) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final java.util.function.Function<String, URI> server;
    private final String door;
    private final String callback;
    private final List<String> channels;
    private final List<JsonNode> items = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile String session;
    private volatile String cursor;
    private volatile String token;
    private volatile boolean running;
    private Thread thread;

    private PollClient(java.util.function.Function<String, URI> server, String door, String callback, List<String> channels) {
        this.server = server;
        this.door = door;
        this.callback = callback;
        this.channels = List.copyOf(channels);
    }

    /** A {@code /poll} client of {@code channels}. */
    public static PollClient poll(TestServer server, String... channels) {
        return new PollClient(server::http, "/poll", null, List.of(channels));
    }

    /** A {@code /poll} client of {@code channels} on the server at {@code baseUrl} ({@code http://HOST:PORT}). */
    public static PollClient poll(String baseUrl, String... channels) {
        return new PollClient(path -> URI.create(baseUrl + path), "/poll", null, List.of(channels));
    }

    /** A {@code /jsonp} client of {@code channels} calling {@code callback}. */
    public static PollClient jsonp(TestServer server, String callback, String... channels) {
        return new PollClient(server::http, "/jsonp", callback, List.of(channels));
    }

    /** Starts from {@code cursor} instead of "from now". */
    public PollClient since(String cursor) {
        this.cursor = cursor;
        return this;
    }

    /** Sends {@code token} as {@code token=} with every request (null: none). */
    public PollClient token(String token) {
        this.token = token;
        return this;
    }

    public String session() {
        return session;
    }

    public String cursor() {
        return cursor;
    }

    /** The URI of the next request: channels, cursor, session, callback, token, wait, and a cache buster. */
    public URI uri(int wait) {
        StringBuilder q = new StringBuilder(door).append('?');
        for (String c : channels) q.append("channel=").append(encode(c)).append('&');
        if (cursor != null) q.append("since=").append(encode(cursor)).append('&');
        if (session != null) q.append("session=").append(encode(session)).append('&');
        if (callback != null) q.append("callback=").append(encode(callback)).append('&');
        if (token != null) q.append("token=").append(encode(token)).append('&');
        q.append("wait=").append(wait).append("&t=").append(System.nanoTime());
        return server.apply(q.toString());
    }

    /** One request; a 200 moves the session and cursor on and records its items. */
    public Answer poll(int wait) {
        HttpRequest request = HttpRequest.newBuilder(uri(wait)).timeout(Duration.ofSeconds(wait + 10L)).GET().build();
        HttpResponse<String> r;
        try {
            r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("poll " + request.uri() + " failed", e);
        }
        JsonNode json = r.statusCode() == 200 ? Json.parse(unwrap(r.body())) : null;
        if (json != null) {
            session = json.get("session").textValue();
            cursor = json.get("cursor").textValue();
            json.get("messages").forEach(items::add);
        }
        return new Answer(r.statusCode(), r.headers(), r.body(), json);
    }

    private byte[] unwrap(String body) {
        if (callback == null) return body.getBytes(StandardCharsets.UTF_8);
        String open = "/**/" + callback + "(";
        if (!body.startsWith(open) || !body.endsWith(");")) {
            throw new AssertionError("not a JSONP call of " + callback + ": " + body);
        }
        return body.substring(open.length(), body.length() - 2).getBytes(StandardCharsets.UTF_8);
    }

    /** Long-polls in a loop on its own thread until closed; a refusal stops it and fails {@link #awaitItems}. */
    public PollClient start(int wait) {
        running = true;
        thread = new Thread(() -> {
            while (running) {
                try {
                    Answer a = poll(wait);
                    if (a.status() != 200) throw new AssertionError("poll refused: " + a.status() + " " + a.body());
                } catch (Throwable t) {
                    if (running) failure.compareAndSet(null, t);
                    return;
                }
            }
        }, "poll-client");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /** Every item received so far (messages, gaps, errors), in order. */
    public List<JsonNode> items() {
        return new ArrayList<>(items);
    }

    /** The message items received so far. */
    public List<JsonNode> messages() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode i : items) if ("message".equals(i.path("type").textValue())) out.add(i);
        return out;
    }

    /** Waits until at least {@code n} message items arrived. */
    public List<JsonNode> awaitMessages(int n, Duration timeout) {
        Awaitility.await().atMost(timeout.toMillis(), TimeUnit.MILLISECONDS).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    Throwable t = failure.get();
                    if (t != null) throw new AssertionError("the poll loop failed", t);
                    return messages().size() >= n;
                });
        return messages();
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) thread.interrupt();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
