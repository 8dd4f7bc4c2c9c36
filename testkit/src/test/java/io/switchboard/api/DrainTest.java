package io.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.server.codec.Json;
import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.WsRecorder;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/drain}: what a graceful stop does, without exiting — the node stops accepting, tells
 * every client to reconnect elsewhere (WebSocket {@code 4503}, SSE {@code sb:error} 503), and stays up until
 * it is stopped.
 */
class DrainTest {
    @Test
    void drainTellsEveryClientToGoStopsAcceptingAndTheProcessStaysUp() throws Exception {
        try (TestServer server = TestServer.start();
             WsRecorder ws = WsRecorder.connect(server.ws("/ws"));
             SseRecorder sse = SseRecorder.open(server.http("/sse?channel=news"))) {
            ws.awaitType("welcome");
            Awaitility.await().until(() -> server.server().metrics().connections("sse").get() == 1);

            HttpResponse<String> r = server.api("/api/drain", "");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(Json.parse(r.body().getBytes()).get("draining").asBoolean()).isTrue();
            assertThat(Json.parse(r.body().getBytes()).get("connections").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(ws.awaitClose()).isEqualTo(4503);
            SseRecorder.Event going = sse.awaitEvent(e -> e.event().equals("sb:error"), Duration.ofSeconds(5));
            assertThat(going.json().get("code").asInt()).isEqualTo(503);
            Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThatThrownBy(() -> new Socket("127.0.0.1", server.port()).close()).isInstanceOf(IOException.class));
            assertThat(server.server().hub().subscribers("news")).isZero();
        }
    }

    @Test
    void drainNeedsTheApiKeyAndPost() {
        try (TestServer server = TestServer.start()) {
            assertThat(server.apiGet("/api/drain").statusCode()).isEqualTo(405);
            HttpResponse<String> noKey = server.send(java.net.http.HttpRequest.newBuilder(server.http("/api/drain"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
            assertThat(noKey.statusCode()).isEqualTo(401);
            assertThat(server.server().metrics().connections("ws").get()).isZero();
            assertThat(server.http("/healthz")).isNotNull();
            assertThat(server.send(java.net.http.HttpRequest.newBuilder(server.http("/readyz")).build()).statusCode())
                    .as("still ready: nothing was drained").isEqualTo(200);
        }
    }
}
