package io.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.server.ServerConfig;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ServerConfig.disabledDoors} ({@code --disable-door}): a disabled door answers 404 like an unknown
 * path, to every method, counted per door; {@code longpoll} takes away only waiting on {@code /poll}.
 */
class DisabledDoorsTest {

    private static HttpResponse<String> get(TestServer server, String pathAndQuery) {
        return server.send(HttpRequest.newBuilder(server.http(pathAndQuery)).GET().build());
    }

    @Test
    void disabledDoorsAnswer404AndTheOthersStillServe() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withDisabledDoors(Set.of("ws", "sse", "stream", "iframe", "jsonp")))) {
            for (String path : new String[] {"/sse?channel=news", "/stream?channel=news",
                    "/iframe?channel=news&callback=f", "/jsonp?channel=news&callback=f"}) {
                String door = path.substring(1, path.indexOf('?'));
                double before = server.server().metrics().errorCount(door, 404);
                HttpResponse<String> r = get(server, path);
                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(r.body()).as(path).contains("\"error\":\"not_found\"");
                assertThat(server.server().metrics().errorCount(door, 404)).as(path).isEqualTo(before + 1);
            }
            HttpResponse<String> preflight = server.send(HttpRequest.newBuilder(server.http("/sse"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://localhost:5173")
                    .header("Access-Control-Request-Method", "GET").build());
            assertThat(preflight.statusCode()).as("no preflight for a door that is not there").isEqualTo(404);

            assertThatThrownBy(() -> server.httpClient().newWebSocketBuilder()
                    .buildAsync(server.ws("/ws"), new WebSocket.Listener() {}).get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(WebSocketHandshakeException.class)
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
                            .isEqualTo(404));
            assertThat(server.server().metrics().errorCount("ws", 404)).isEqualTo(1);

            assertThat(get(server, "/poll?channel=news").statusCode()).isEqualTo(200);
            assertThat(get(server, "/history?channel=news").statusCode()).isEqualTo(200);
            assertThat(get(server, "/switchboard.js").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void disablingLongpollRefusesOnlyWaitingPolls() {
        try (TestServer server = TestServer.start(c -> c.withDisabledDoors(Set.of("longpoll")))) {
            HttpResponse<String> waiting = get(server, "/poll?channel=news&wait=5");
            assertThat(waiting.statusCode()).isEqualTo(404);
            assertThat(waiting.body()).contains("long-polling is disabled");
            assertThat(server.server().metrics().errorCount("poll", 404)).isEqualTo(1);
            assertThat(get(server, "/poll?channel=news").statusCode()).isEqualTo(200);
            assertThat(get(server, "/poll?channel=news&wait=0").statusCode()).isEqualTo(200);
            assertThat(get(server, "/poll?channel=news&wait=x").statusCode()).as("the door's own checks still run").isEqualTo(400);
        }
    }

    @Test
    void onlyDoorNamesAreAccepted() {
        ServerConfig config = ServerConfig.defaults("k");
        assertThat(config.disabledDoors()).isEmpty();
        assertThat(config.withDisabledDoors(Set.of("poll", "send")).withPort(0).disabledDoors()).containsExactlyInAnyOrder("poll", "send");
        assertThatThrownBy(() -> config.withDisabledDoors(Set.of("websocket")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'websocket' is not a door");
    }
}
