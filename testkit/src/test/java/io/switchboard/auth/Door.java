package io.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.codec.Json;
import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.StreamRecorder;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.WsRecorder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;

/**
 * Every door a client reads a channel through, driven the way its client would: {@code /ws} (subscribe
 * op), {@code /sse}, {@code /poll}, {@code /jsonp}, {@code /stream}, {@code /iframe}, {@code /history}
 * and {@code POST /send} (its {@code history} op), each with a token carried by {@code ?token=} or by
 * {@code Authorization: Bearer}. So one test body covers them all.
 */
enum Door {
    WS, SSE, POLL, JSONP, STREAM, IFRAME, HISTORY, SEND;

    /** How a client hands its token over. */
    enum Carrier { QUERY, HEADER }

    /**
     * What a refused client was told: the status (HTTP status; on {@code /ws} the error frame's code or the
     * close code), the {@code error} code of an HTTP answer (null on {@code /ws}), and all of the text it
     * got (body, error frame or close reason), to check that no token is in it.
     */
    record Told(int status, String error, String text) {}

    private static final String CALLBACK = "sb.got";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private static final AtomicInteger SENT = new AtomicInteger();

    /** The door's name in {@code switchboard_errors_total{door}}. */
    String metric() {
        return name().toLowerCase();
    }

    /**
     * Tries {@code token} (null for none) on this door for {@code channel}. HTTP doors answer status +
     * JSON; {@code /ws} accepts the upgrade, welcomes and closes with {@code 4401}, returned as the close.
     */
    Told refuseToken(TestServer server, String channel, Carrier carrier, String token) {
        if (this != WS) return httpRefusal(server, channel, carrier, token);
        try (WsRecorder ws = connect(server, carrier, token)) {
            assertThat(ws.next().path("type").asText()).as("a refused token still gets the welcome first").isEqualTo("welcome");
            WsRecorder.Close close = ws.awaitCloseFrame();
            return new Told(close.code(), null, close.reason());
        }
    }

    /** Asks to read {@code channel} with {@code token} (null for none) where that should be refused. */
    Told refuseChannel(TestServer server, String channel, Carrier carrier, String token) {
        if (this != WS) return httpRefusal(server, channel, carrier, token);
        try (WsRecorder ws = connect(server, carrier, token)) {
            assertThat(ws.next().path("type").asText()).isEqualTo("welcome");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"id\":1}");
            JsonNode error = ws.awaitRef(1);
            assertThat(error.path("type").asText()).as("answer %s", error).isEqualTo("error");
            return new Told(error.path("code").asInt(), null, error.toString());
        }
    }

    /**
     * Reads {@code channel} with {@code token} through this door and returns the message published to it
     * over the server API, {@code {"door":"<door>"}}, as the client got it. Subscribing doors subscribe
     * first and the message follows; {@code /history} and {@code /send} read it after it was published.
     */
    JsonNode receive(TestServer server, String channel, Carrier carrier, String token) {
        String data = "{\"door\":\"" + metric() + "\"}";
        switch (this) {
            case WS -> {
                try (WsRecorder ws = connect(server, carrier, token)) {
                    assertThat(ws.next().path("type").asText()).isEqualTo("welcome");
                    ws.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"id\":1}");
                    assertThat(ws.awaitRef(1).path("type").asText()).isEqualTo("subscribed");
                    server.publish(channel, data);
                    return ws.awaitType("message");
                }
            }
            case SSE -> {
                try (SseRecorder sse = SseRecorder.open(server.http(path(channel, carrier, token)),
                        b -> carrier == Carrier.HEADER ? b.header("Authorization", "Bearer " + token) : b)) {
                    assertThat(sse.status()).as("answer %s", sse.body()).isEqualTo(200);
                    awaitSubscribed(server, channel);
                    server.publish(channel, data);
                    return sse.awaitEvent("message").json();
                }
            }
            case STREAM, IFRAME -> {
                try (StreamRecorder stream = StreamRecorder.open(server.port(), path(channel, carrier, token),
                        carrier == Carrier.HEADER ? Map.of("Authorization", "Bearer " + token) : Map.of(),
                        this == IFRAME ? CALLBACK : null)) {
                    assertThat(stream.status()).as("answer %s", stream.body()).isEqualTo(200);
                    stream.awaitItem("open");
                    awaitSubscribed(server, channel);
                    server.publish(channel, data);
                    return stream.awaitItem("message");
                }
            }
            case POLL, JSONP -> {
                JsonNode first = ok(get(server, path(channel, carrier, token), carrier, token));
                server.publish(channel, data);
                String next = path(channel, carrier, token) + "&since=" + encode(first.get("cursor").asText())
                        + "&session=" + encode(first.get("session").asText()) + "&wait=5";
                JsonNode messages = ok(get(server, next, carrier, token)).get("messages");
                assertThat(messages).hasSize(1);
                return messages.get(0);
            }
            case HISTORY, SEND -> {
                server.publish(channel, data);
                JsonNode messages = ok(request(server, channel, carrier, token)).get("messages");
                assertThat(messages).hasSize(1);
                return messages.get(0);
            }
        }
        throw new IllegalStateException("unknown door " + this);
    }

    // ---- HTTP ----

    private Told httpRefusal(TestServer server, String channel, Carrier carrier, String token) {
        HttpResponse<String> r = request(server, channel, carrier, token);
        assertThat(r.headers().firstValue("Content-Type")).as("refusal %s", r.body())
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return new Told(r.statusCode(), json(r.body()).path("error").asText(null), r.body());
    }

    /** The door's one request: GET for the subscribing doors and {@code /history}, POST for {@code /send}. */
    private HttpResponse<String> request(TestServer server, String channel, Carrier carrier, String token) {
        if (this != SEND) return get(server, path(channel, carrier, token), carrier, token);
        String query = token != null && carrier == Carrier.QUERY ? "?token=" + encode(token) : "";
        String body = "{\"op\":\"history\",\"channel\":\"" + channel + "\",\"id\":" + SENT.incrementAndGet() + "}";
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http("/send" + query)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return send(withHeader(b, carrier, token).build());
    }

    /** {@code /door?channel=C[&callback=F][&token=T]}. */
    private String path(String channel, Carrier carrier, String token) {
        StringBuilder p = new StringBuilder("/").append(metric()).append("?channel=").append(encode(channel));
        if (this == JSONP || this == IFRAME) p.append("&callback=").append(CALLBACK);
        if (token != null && carrier == Carrier.QUERY) p.append("&token=").append(encode(token));
        return p.toString();
    }

    private static HttpResponse<String> get(TestServer server, String path, Carrier carrier, String token) {
        // A timeout, so that a stream answered where a refusal was due fails the test instead of hanging it.
        return send(withHeader(HttpRequest.newBuilder(server.http(path)).timeout(Duration.ofSeconds(10)).GET(), carrier, token).build());
    }

    private static HttpRequest.Builder withHeader(HttpRequest.Builder b, Carrier carrier, String token) {
        return token != null && carrier == Carrier.HEADER ? b.header("Authorization", "Bearer " + token) : b;
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError("request to " + request.uri().getPath() + " failed", e); // no query: it may hold a token
        }
    }

    /** The JSON of a 200 answer, unwrapped from the JSONP call for {@code /jsonp}. */
    private JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("answer %s", r.body()).isEqualTo(200);
        String body = r.body();
        if (this == JSONP) {
            String open = "/**/" + CALLBACK + "(";
            assertThat(body).startsWith(open).endsWith(");");
            body = body.substring(open.length(), body.length() - 2);
        }
        return json(body);
    }

    // ---- WebSocket ----

    private static WsRecorder connect(TestServer server, Carrier carrier, String token) {
        if (token == null) return WsRecorder.connect(server.ws("/ws"));
        if (carrier == Carrier.QUERY) return WsRecorder.connect(server.ws("/ws?token=" + encode(token)));
        return WsRecorder.connectWithHeaders(server.ws("/ws"), Map.of("Authorization", "Bearer " + token));
    }

    // ---- small things ----

    static void awaitSubscribed(TestServer server, String channel) {
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(5))
                .until(() -> server.server().hub().subscribers(channel) >= 1);
    }

    private static JsonNode json(String text) {
        return Json.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "/" + metric();
    }
}
