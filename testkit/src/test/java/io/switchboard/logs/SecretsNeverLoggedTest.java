package io.switchboard.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.webhook.WebhookConfig;
import io.switchboard.testkit.PollClient;
import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.StreamRecorder;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.Tokens;
import io.switchboard.testkit.WebhookReceiver;
import io.switchboard.testkit.WsRecorder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * DESIGN.md "tokens never appear in logs", widened to every secret: with every logger at TRACE (Netty's
 * included) captured from before the server starts until after it stops, every door is used with a good
 * token and with bad ones, the server API with its key and a wrong one, and webhooks signed with a secret
 * to a receiver that fails once (so the retry path logs). No line — message, arguments or throwable — and
 * not {@code /metrics} either, holds a token (or a part of one), the API key, the webhook secret, the
 * webhook URL's credential or the token-signing secret.
 */
class SecretsNeverLoggedTest {
    private static final String CHANNEL = "presence-room";

    private final String webhookSecret = "webhook-secret-" + UUID.randomUUID();
    private final String hookUrlKey = "hook-url-key-" + UUID.randomUUID();
    private final String wrongApiKey = "wrong-api-key-" + UUID.randomUUID();
    private final String garbageToken = "garbage-token-" + UUID.randomUUID();
    private final String goodToken = Tokens.hs256(TestServer.TOKEN_SECRET, "ann", List.of("presence-*"), List.of("*"),
            "{\"name\":\"Ann\"}", Instant.now().plusSeconds(3600), null);
    private final String forgedToken = Tokens.hs256("another-secret-of-at-least-32-bytes-long!", "ann",
            List.of("presence-*"), List.of("*"), null, Instant.now().plusSeconds(3600), null);
    private final String expiredToken = Tokens.hs256(TestServer.TOKEN_SECRET, "ann", List.of("presence-*"), List.of(),
            null, Instant.now().minusSeconds(3600), null);
    private final List<String> badTokens = List.of(garbageToken, forgedToken, expiredToken);

    private TestServer server;
    private String apiKey;

    @Test
    void noTokenKeyOrSecretAppearsInAnyLogLineNorInMetrics() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        String metrics;
        try (WebhookReceiver receiver = WebhookReceiver.start().answer(500); Capture capture = new Capture(logs)) {
            WebhookConfig hooks = WebhookConfig.NONE.withUrls(List.of(receiver.url("?key=" + hookUrlKey)))
                    .withSecret(webhookSecret).withBatchDelay(Duration.ofMillis(20))
                    .withRetry(Duration.ofMillis(20), Duration.ofMillis(100)).withIncludeClientPublishes(true);
            server = TestServer.start(c -> c.withWebhooks(hooks));
            apiKey = server.apiKey();

            webSocket();
            sse();
            polls();
            streams();
            history();
            send();
            serverApi();

            // The receiver failed the first POST and took the retry: both paths have logged by now.
            await().atMost(10, TimeUnit.SECONDS).until(() -> receiver.posts().stream().anyMatch(WebhookReceiver.Post::accepted));
            assertThat(receiver.posts().get(0).status()).isEqualTo(500);
            await().until(() -> lines(logs).stream().anyMatch(e -> e.getFormattedMessage().contains("takes batches again")));
            assertThat(WebhookReceiver.verifies(receiver.posts().get(0), webhookSecret)).isTrue();

            metrics = server.send(HttpRequest.newBuilder(server.http("/metrics")).GET().build()).body();
            server.close(); // what a stop logs counts too
        }

        // The capture saw the paths that could leak: the Netty handshake, a 4401, the webhook retry.
        assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains("WebSocket version 13 server handshake"));
        assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains("closing with 4401"));
        assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains("webhook POST to"));
        assertThat(metrics).contains("switchboard_webhooks_failed");

        Map<String, String> secrets = secrets();
        List<String> leaks = new ArrayList<>();
        for (ILoggingEvent e : logs.list) {
            String text = text(e);
            secrets.forEach((what, secret) -> {
                if (text.contains(secret)) leaks.add(what + " in " + e.getLoggerName() + ": " + text);
            });
        }
        secrets.forEach((what, secret) -> {
            if (metrics.contains(secret)) leaks.add(what + " in /metrics");
        });
        assertThat(leaks).as("over %d log lines", logs.list.size()).isEmpty();
    }

    // ---- the doors ----

    private void webSocket() {
        try (WsRecorder ws = WsRecorder.connect(server.ws("/ws?token=" + goodToken))) {
            ws.awaitType("welcome");
            ws.send("{\"op\":\"subscribe\",\"channel\":\"" + CHANNEL + "\",\"id\":1}");
            assertThat(ws.awaitRef(1).path("type").asText()).isEqualTo("subscribed");
            ws.send("{\"op\":\"publish\",\"channel\":\"" + CHANNEL + "\",\"data\":{\"n\":1},\"id\":2}");
            assertThat(ws.awaitRef(2).path("type").asText()).isEqualTo("ack");
            ws.send("{\"op\":\"presence\",\"channel\":\"" + CHANNEL + "\",\"id\":3}");
            assertThat(ws.awaitRef(3).path("type").asText()).isEqualTo("presence");
            ws.send("{\"op\":\"auth\",\"token\":\"" + goodToken + "\",\"id\":4}");
            assertThat(ws.awaitRef(4).path("type").asText()).isEqualTo("ack");
            for (String bad : badTokens) {
                ws.send("{\"op\":\"auth\",\"token\":\"" + bad + "\",\"id\":5}");
                JsonNode refused = ws.awaitRef(5);
                assertThat(refused.path("code").asInt()).isEqualTo(401);
                assertThat(refused.toString()).doesNotContain(bad);
            }
        }
        for (String bad : badTokens) {
            try (WsRecorder ws = WsRecorder.connect(server.ws("/ws?token=" + bad))) {
                WsRecorder.Close close = ws.awaitCloseFrame();
                assertThat(close.code()).isEqualTo(4401);
                assertThat(close.reason()).doesNotContain(bad);
            }
        }
    }

    private void sse() {
        try (SseRecorder sse = SseRecorder.open(server.http("/sse?channel=" + CHANNEL + "&token=" + goodToken))) {
            assertThat(sse.status()).isEqualTo(200);
            sse.awaitLastEventId(id -> !id.isEmpty());
        }
        try (SseRecorder sse = SseRecorder.open(server.http("/sse?channel=" + CHANNEL),
                b -> b.header("Authorization", "Bearer " + goodToken))) {
            assertThat(sse.status()).isEqualTo(200);
            sse.awaitLastEventId(id -> !id.isEmpty());
        }
        for (String bad : badTokens) {
            try (SseRecorder sse = SseRecorder.open(server.http("/sse?channel=" + CHANNEL + "&token=" + bad))) {
                refused(sse.status(), sse.body(), bad);
            }
        }
    }

    private void polls() {
        for (String door : List.of("/poll", "/jsonp")) {
            String query = door + "?channel=" + CHANNEL + "&callback=cb&wait=0";
            assertThat(get(query + "&token=" + goodToken, null).statusCode()).isEqualTo(200);
            assertThat(get(query, goodToken).statusCode()).isEqualTo(200);
            for (String bad : badTokens) {
                HttpResponse<String> r = get(query + "&token=" + bad, null);
                refused(r.statusCode(), r.body(), bad);
                r = get(query, bad);
                refused(r.statusCode(), r.body(), bad);
            }
        }
        try (PollClient poll = PollClient.poll(server, CHANNEL).token(goodToken)) {
            assertThat(poll.poll(0).status()).isEqualTo(200);
            server.publish(CHANNEL, "{\"n\":2}");
            assertThat(poll.poll(5).json().get("messages")).isNotEmpty();
        }
    }

    private void streams() {
        try (StreamRecorder s = StreamRecorder.ndjson(server.port(), "/stream?channel=" + CHANNEL + "&token=" + goodToken);
             StreamRecorder f = StreamRecorder.iframe(server.port(), "/iframe?channel=" + CHANNEL + "&callback=cb&token=" + goodToken, "cb")) {
            assertThat(s.status()).isEqualTo(200);
            assertThat(f.status()).isEqualTo(200);
            s.awaitItem("open");
            f.awaitItem("open");
        }
        for (String bad : badTokens) {
            try (StreamRecorder s = StreamRecorder.ndjson(server.port(), "/stream?channel=" + CHANNEL + "&token=" + bad);
                 StreamRecorder f = StreamRecorder.iframe(server.port(), "/iframe?channel=" + CHANNEL + "&callback=cb&token=" + bad, "cb")) {
                s.awaitEnd();
                f.awaitEnd();
                refused(s.status(), s.body(), bad);
                refused(f.status(), f.body(), bad);
            }
        }
    }

    private void history() {
        assertThat(get("/history?channel=" + CHANNEL + "&token=" + goodToken, null).statusCode()).isEqualTo(200);
        for (String bad : badTokens) {
            HttpResponse<String> r = get("/history?channel=" + CHANNEL, bad);
            refused(r.statusCode(), r.body(), bad);
        }
    }

    private void send() {
        String publish = "{\"op\":\"publish\",\"channel\":\"" + CHANNEL + "\",\"data\":{\"n\":3}}";
        assertThat(post("/send?token=" + goodToken, null, publish).statusCode()).isEqualTo(200);
        assertThat(post("/send", goodToken, publish).statusCode()).isEqualTo(200);
        for (String bad : badTokens) {
            HttpResponse<String> r = post("/send", bad, publish);
            refused(r.statusCode(), r.body(), bad);
            r = post("/send", null, "{\"op\":\"auth\",\"token\":\"" + bad + "\"}");
            refused(r.statusCode(), r.body(), bad);
        }
    }

    private void serverApi() {
        String publish = "{\"channel\":\"" + CHANNEL + "\",\"data\":{\"n\":4}}";
        assertThat(post("/api/publish", apiKey, publish).statusCode()).isEqualTo(200);
        assertThat(get("/api/channels/" + CHANNEL + "/presence", apiKey).statusCode()).isEqualTo(200);
        assertThat(post("/api/disconnect", apiKey, "{\"user\":\"ann\"}").statusCode()).isEqualTo(200);
        for (String key : List.of(wrongApiKey, goodToken)) {
            HttpResponse<String> r = post("/api/publish", key, publish);
            refused(r.statusCode(), r.body(), key);
            r = get("/api/channels", key);
            refused(r.statusCode(), r.body(), key);
        }
    }

    // ---- what may not appear ----

    private Map<String, String> secrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("the API key", apiKey);
        secrets.put("a wrong API key", wrongApiKey);
        secrets.put("the webhook secret", webhookSecret);
        secrets.put("the webhook URL's key", hookUrlKey);
        secrets.put("the token secret", TestServer.TOKEN_SECRET);
        secrets.put("a garbage token", garbageToken);
        Map<String, String> jwts = Map.of("the good token", goodToken, "a forged token", forgedToken,
                "an expired token", expiredToken);
        jwts.forEach((what, jwt) -> {
            String[] parts = jwt.split("\\.");
            secrets.put(what, jwt);
            // Claims or signature alone are a leak too (the header is the same in every HS256 token).
            secrets.put(what + "'s claims", parts[1]);
            secrets.put(what + "'s signature", parts[2]);
        });
        return secrets;
    }

    /** Everything a log line carries: message, arguments, key-value pairs, MDC, throwables with their causes. */
    private static String text(ILoggingEvent e) {
        StringBuilder out = new StringBuilder(e.getFormattedMessage()).append('\n').append(e.getMessage());
        if (e.getArgumentArray() != null) {
            for (Object arg : e.getArgumentArray()) out.append('\n').append(arg);
        }
        if (e.getKeyValuePairs() != null) e.getKeyValuePairs().forEach(kv -> out.append('\n').append(kv));
        e.getMDCPropertyMap().forEach((k, v) -> out.append('\n').append(k).append('=').append(v));
        IThrowableProxy t = e.getThrowableProxy();
        if (t != null) out.append('\n').append(ThrowableProxyUtil.asString(t));
        return out.toString();
    }

    /** What was logged so far; the appender adds under its own lock, from any thread. */
    private static List<ILoggingEvent> lines(ListAppender<ILoggingEvent> logs) {
        synchronized (logs) {
            return new ArrayList<>(logs.list);
        }
    }

    private static void refused(int status, String body, String credential) {
        assertThat(status).as("status of %s", body).isEqualTo(401);
        assertThat(body).doesNotContain(credential);
    }

    private HttpResponse<String> get(String pathAndQuery, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http(pathAndQuery)).GET();
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return server.send(b.build());
    }

    private HttpResponse<String> post(String path, String bearer, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) b.header("Authorization", "Bearer " + bearer);
        return server.send(b.build());
    }

    /**
     * Every logger at TRACE into {@code logs}, Netty's included, and nothing to the console meanwhile;
     * closing puts the levels and appenders back.
     */
    private static final class Capture implements AutoCloseable {
        private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        private final Logger netty = (Logger) LoggerFactory.getLogger("io.netty");
        private final Level rootLevel = root.getLevel();
        private final Level nettyLevel = netty.getLevel();
        private final List<Appender<ILoggingEvent>> consoles = new ArrayList<>();
        private final ListAppender<ILoggingEvent> logs;

        Capture(ListAppender<ILoggingEvent> logs) {
            this.logs = logs;
            root.iteratorForAppenders().forEachRemaining(consoles::add);
            consoles.forEach(root::detachAppender);
            logs.start();
            root.addAppender(logs);
            root.setLevel(Level.TRACE);
            netty.setLevel(Level.TRACE);
        }

        @Override
        public void close() {
            root.setLevel(rootLevel);
            netty.setLevel(nettyLevel);
            root.detachAppender(logs);
            consoles.forEach(root::addAppender);
        }
    }
}
