package io.switchboard.ws;

import static io.switchboard.ws.WsTests.assertServed;
import static io.switchboard.ws.WsTests.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.WsRecorder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The upgrade of {@code GET /ws}: methods, origins (PROTOCOL.md "Origins"), malformed upgrades, the token. */
class WsUpgradeTest {
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(c -> c.withAllowedOrigins(List.of("https://app.example.com")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void allowedOriginsUpgrade() {
        for (String origin : new String[] {null, "http://localhost:3000", "https://localhost", "http://127.0.0.1:9",
                "https://app.example.com", "HTTPS://APP.EXAMPLE.COM/"}) {
            try (WsRecorder ws = WsRecorder.connect(server.ws("/ws"), origin)) {
                assertThat(ws.next().path("type").asText()).as("origin %s", origin).isEqualTo("welcome");
            }
        }
    }

    @Test
    void theServersOwnOriginUpgrades() throws Exception {
        try (RawWs raw = RawWs.connect(server.port())) {
            RawWs.Response r = raw.request(RawWs.upgradeRequest("/ws", "push.example.org:8443",
                    "Origin: https://push.example.org:8443\r\n"));
            assertThat(r.status()).isEqualTo(101);
            assertThat(raw.readFrame().text()).contains("\"type\":\"welcome\"");
        }
    }

    @Test
    void foreignOriginsAreRefusedWith403() throws Exception {
        double before = server.server().metrics().errorCount("ws", 403);
        for (String origin : new String[] {"https://evil.example", "https://app.example.com.evil.example",
                "http://app.example.com", "null"}) {
            assertThatThrownBy(() -> WsRecorder.connect(server.ws("/ws"), origin))
                    .as("origin %s", origin)
                    .cause().isInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e ->
                            assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(403));
        }
        try (RawWs raw = RawWs.connect(server.port())) {
            RawWs.Response r = raw.request(RawWs.upgradeRequest("/ws", "127.0.0.1", "Origin: https://evil.example\r\n"));
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.headers().get("content-type")).startsWith("application/json");
            assertThat(r.body()).contains("\"error\":\"forbidden\"");
        }
        assertThat(server.server().metrics().errorCount("ws", 403)).isEqualTo(before + 5);
        try (WsRecorder ws = open(server)) {
            assertServed(ws);
        }
    }

    @Test
    void otherMethodsAre405() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.http("/ws"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.body()).contains("\"error\":\"method_not_allowed\"");
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    }

    @Test
    void aPlainGetIs400() {
        double before = server.server().metrics().errorCount("ws", 400);
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.http("/ws")).GET().build());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("\"error\":\"bad_request\"").contains("upgrade");
        assertThat(server.server().metrics().errorCount("ws", 400)).isEqualTo(before + 1);
    }

    @Test
    void malformedUpgradesAreRefused() throws Exception {
        try (RawWs raw = RawWs.connect(server.port())) {
            String noKey = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n";
            RawWs.Response r = raw.request(noKey);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("bad_request");
        }
        try (RawWs raw = RawWs.connect(server.port())) {
            String oldDraft = RawWs.upgradeRequest("/ws", "127.0.0.1", "").replace("Version: 13", "Version: 8");
            RawWs.Response r = raw.request(oldDraft);
            assertThat(r.status()).isEqualTo(426);
            assertThat(r.headers().get("sec-websocket-version")).isEqualTo("13");
        }
        try (RawWs raw = RawWs.connect(server.port())) {
            RawWs.Response r = raw.request(RawWs.upgradeRequest("/ws?token=%zz", "127.0.0.1", ""));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.body()).contains("bad_query");
        }
        try (WsRecorder ws = open(server)) {
            assertServed(ws);
        }
    }

    @Test
    void aTokenOnTheUrlIsAcceptedAndNeverLogged() {
        // Everything at DEBUG, Netty included, is captured while the session lives.
        ch.qos.logback.classic.Logger root =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Logger netty = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.netty");
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Level rootLevel = root.getLevel();
        Level nettyLevel = netty.getLevel();
        root.setLevel(Level.DEBUG);
        netty.setLevel(Level.DEBUG);
        root.addAppender(logs);
        String token = TestServer.token("ann", java.util.List.of("private-y"), java.util.List.of());
        try (WsRecorder ws = WsRecorder.connect(server.ws("/ws?token=" + token))) {
            JsonNode welcome = ws.next();
            assertThat(welcome.path("type").asText()).isEqualTo("welcome");
            assertServed(ws);
            ws.send("{\"op\":\"subscribe\",\"channel\":\"private-x\",\"id\":1}");
            JsonNode refused = ws.awaitRef(1);
            assertThat(refused.path("code").asInt()).isEqualTo(403); // the token allows private-y only
            assertThat(refused.toString()).doesNotContain(token);
            ws.sendBinary(new byte[] {1}); // an error path that logs about the session
            assertThat(ws.awaitClose()).isEqualTo(4400);
        } finally {
            root.detachAppender(logs);
            root.setLevel(rootLevel);
            netty.setLevel(nettyLevel);
        }
        assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains("WebSocket version 13 server handshake"));
        assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains("closing with 4400"));
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains("secret-claims"));
    }

    @Test
    void theConnectionGaugeFollowsSessions() {
        WsRecorder a = open(server);
        WsRecorder b = open(server);
        assertThat(server.server().metrics().connections("ws").get()).isEqualTo(2);
        a.close();
        await().until(() -> server.server().metrics().connections("ws").get() == 1);
        b.abort();
        await().until(() -> server.server().metrics().connections("ws").get() == 0);
    }
}
