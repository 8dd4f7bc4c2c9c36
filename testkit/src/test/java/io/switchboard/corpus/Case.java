package io.switchboard.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * One row of the bad-input corpus: the door it attacks, a name, what it does and checks ({@link Probe}),
 * and the refusal the server must count for it ({@link Count}; null when the input is served or the client
 * itself walks away, so there is nothing to refuse).
 */
record Case(String door, String name, Count counted, Probe probe) {
    /** Sends the hostile input and asserts the documented answer; runs against the corpus's one server. */
    @FunctionalInterface
    interface Probe {
        void run(TestServer server) throws Exception;
    }

    /** Something to do on an upgraded raw WebSocket connection. */
    @FunctionalInterface
    interface WsAction {
        void on(Wire ws) throws Exception;
    }

    /**
     * The refusal counted in {@code server.metrics().errorCount(door, status)}, {@code times} times in all
     * over {@code statuses} (several when a limit's status is not settled, e.g. 400 or 431 for huge headers).
     */
    record Count(String door, Set<Integer> statuses, int times) {
        static Count of(String door, int status) {
            return new Count(door, Set.of(status), 1);
        }
    }

    @Override
    public String toString() {
        return door + ": " + name;
    }

    // ---- HTTP rows ----

    /** {@code GET path} with {@code Connection: close} and nothing else odd. */
    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    }

    /** {@code method path} with a body and the given content type. */
    static String request(String method, String path, String contentType, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + b.length + "\r\n\r\n" + new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Sends {@code raw} on a new connection: the answer is {@code status} with error {@code code}, counted under {@code door}. */
    static Case refused(String door, String name, int status, String code, String raw) {
        return refused(door, door, name, status, code, raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** As {@link #refused(String, String, int, String, String)}, counted under {@code countedAs} (the door that refuses it). */
    static Case refused(String door, String countedAs, String name, int status, String code, byte[] raw) {
        return new Case(door, name, Count.of(countedAs, status), server -> {
            try (Wire w = Wire.open(server.port())) {
                Wire.Answer a = w.send(raw).answer();
                assertRefusal(a, status, code);
            }
        });
    }

    /** A documented error answer: the status, the JSON error code, a human reason, no stack trace, no store. */
    static void assertRefusal(Wire.Answer a, int status, String code) {
        assertThat(a.status()).as("status of %s", a).isEqualTo(status);
        assertThat(a.headers().get("content-type")).startsWith("application/json");
        assertThat(a.error()).as("error code of %s", a).isEqualTo(code);
        assertThat(a.json().path("reason").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** An input that is served (or abandoned by the client): the probe checks what happens; nothing is counted. */
    static Case accepted(String door, String name, Probe probe) {
        return new Case(door, name, null, probe);
    }

    // ---- WebSocket rows ----

    /** After the upgrade, {@code action} makes the server close with {@code code} (counted). */
    static Case wsClose(String name, int code, WsAction action) {
        return new Case("ws", name, Count.of("ws", code), server -> {
            try (Wire ws = Wire.open(server.port()).upgrade()) {
                action.on(ws);
                assertThat(ws.awaitClose()).isEqualTo(code);
            }
        });
    }

    /** After the upgrade, {@code frame} is answered with an error frame of {@code code} and the session stays open. */
    static Case wsError(String name, int code, String frame) {
        return wsError(name, code, frame.getBytes(StandardCharsets.UTF_8));
    }

    static Case wsError(String name, int code, byte[] frame) {
        return new Case("ws", name, Count.of("ws", code), server -> {
            try (Wire ws = Wire.open(server.port()).upgrade()) {
                ws.frame(0x81, frame);
                String error = ws.awaitText("\"error\"");
                assertThat(error).contains("\"code\":" + code).doesNotContain("Exception");
                ws.text("{\"op\":\"ping\",\"id\":\"after\"}");
                assertThat(ws.awaitText("\"after\"")).contains("\"pong\"");
            }
        });
    }
}
