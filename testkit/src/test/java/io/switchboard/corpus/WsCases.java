package io.switchboard.corpus;

import static io.switchboard.corpus.Case.accepted;
import static io.switchboard.corpus.Case.assertRefusal;
import static io.switchboard.corpus.Case.wsClose;
import static io.switchboard.corpus.Case.wsError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.hub.HubConfig;
import io.switchboard.testkit.WsFrame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Stream;

/** The corpus rows of {@code /ws}: broken frames, control-frame abuse, bad ops, bursts, broken upgrades. */
final class WsCases {
    private static final String PING = "{\"op\":\"ping\"}";

    private WsCases() {}

    static Stream<Case> all() {
        return Stream.of(frames(), ops(), upgrades()).flatMap(s -> s);
    }

    /** Frames that break RFC 6455 or our limits: the session closes with 4400 or 4413. */
    private static Stream<Case> frames() {
        int max = BadInputCorpusTest.MAX_BODY;
        return Stream.of(
                wsClose("invalid UTF-8 in a text frame", 4400, ws -> ws.frame(0x81, bytes('{', 0xC3, 0x28, '}'))),
                wsClose("an overlong UTF-8 encoding of '/'", 4400, ws -> ws.frame(0x81, bytes('"', 0xC0, 0xAF, '"'))),
                wsClose("a UTF-8-encoded surrogate", 4400, ws -> ws.frame(0x81, bytes('"', 0xED, 0xA0, 0x80, '"'))),
                wsClose("invalid UTF-8 split across fragments", 4400, ws -> {
                    ws.frame(0x01, bytes('"', 0xE2, 0x82));
                    ws.frame(0x80, bytes(0x28, '"'));
                }),
                wsClose("an unmasked client frame", 4400, ws -> ws.send(Wire.frameBytes(0x81, utf8(PING), false))),
                wsClose("a reserved opcode (0x3)", 4400, ws -> ws.frame(0x83, new byte[0])),
                wsClose("RSV1 set with no extension agreed", 4400, ws -> ws.frame(0xC1, utf8(PING))),
                wsClose("a continuation frame with no message started", 4400, ws -> ws.frame(0x80, utf8(PING))),
                wsClose("a new text frame inside a fragmented message", 4400, ws -> {
                    ws.frame(0x01, utf8("{\"op\":"));
                    ws.frame(0x81, utf8(PING));
                }),
                wsClose("a ping with a 126-byte payload", 4400, ws -> ws.frame(0x89, new byte[126])),
                wsClose("a fragmented ping", 4400, ws -> ws.frame(0x09, new byte[0])),
                wsClose("a close frame with a 1-byte body", 4400, ws -> ws.frame(0x88, bytes(3))),
                wsClose("a close frame with the reserved code 1005", 4400, ws -> ws.frame(0x88, bytes(0x03, 0xED))),
                wsClose("a close frame with code 999", 4400, ws -> ws.frame(0x88, bytes(0x03, 0xE7))),
                wsClose("a close frame whose reason is invalid UTF-8", 4400, ws -> ws.frame(0x88, bytes(0x03, 0xE8, 0xC3, 0x28))),
                wsClose("a binary frame", 4400, ws -> ws.frame(0x82, bytes(0, 1, 2))),
                wsClose("a fragmented binary message", 4400, ws -> {
                    ws.frame(0x02, bytes(1));
                    ws.frame(0x80, bytes(2));
                }),
                wsClose("a text frame over the frame limit", 4413, ws -> ws.text("\"" + "x".repeat(max) + "\"")),
                wsClose("fragments adding up over the frame limit", 4413, ws -> {
                    String half = "x".repeat(max / 2 + 1);
                    ws.frame(0x01, utf8("\"" + half));
                    ws.frame(0x80, utf8(half + "\""));
                }),
                wsClose("a 64-bit length of 2^62 announced", 4413, ws -> ws.send(header(0x81, 1L << 62))),
                wsClose("a 64-bit length with the top bit set", 4400, ws -> ws.send(header(0x81, Long.MIN_VALUE + 5))));
    }

    /** Well-framed text that is bad input: an error frame, the session stays open. */
    private static Stream<Case> ops() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        return Stream.of(
                wsError("10,000 levels of nested JSON in a frame", 400, "{\"op\":\"publish\",\"channel\":\"c\",\"data\":" + deep + "}"),
                wsError("a number with 50,000 digits", 400, "{\"op\":\"publish\",\"channel\":\"c\",\"data\":" + "9".repeat(50_000) + "}"),
                wsError("a NUL in the channel name", 400, "{\"op\":\"subscribe\",\"channel\":\"a\\u0000b\"}"),
                wsError("CR LF in the channel name", 400, "{\"op\":\"subscribe\",\"channel\":\"a\\r\\nSet-Cookie: x=1\"}"),
                wsError("a raw NUL byte inside the JSON text", 400, bytes('{', 0, '}')),
                wsError("since with an offset past Long.MAX", 400,
                        "{\"op\":\"subscribe\",\"channel\":\"c\",\"since\":\"ep:9223372036854775808\"}"),
                wsError("since with a 30-digit offset", 400,
                        "{\"op\":\"subscribe\",\"channel\":\"c\",\"since\":\"ep:" + "9".repeat(30) + "\"}"),
                wsError("since with a negative offset", 400, "{\"op\":\"subscribe\",\"channel\":\"c\",\"since\":\"ep:-1\"}"),
                wsError("since with a 17-character epoch", 400,
                        "{\"op\":\"subscribe\",\"channel\":\"c\",\"since\":\"" + "e".repeat(17) + ":1\"}"),
                wsError("history limit past Integer.MAX", 400, "{\"op\":\"history\",\"channel\":\"c\",\"limit\":99999999999}"),
                wsError("publish data over the message limit", 413,
                        "{\"op\":\"publish\",\"channel\":\"c\",\"data\":\"" + "x".repeat(BadInputCorpusTest.MAX_DATA + 1) + "\"}"),
                wsError("an id that is an object", 400, "{\"op\":\"ping\",\"id\":{\"$gt\":1}}"),
                wsError("duplicate keys", 400, "{\"op\":\"ping\",\"op\":\"publish\"}"),
                subscribeBurst(),
                accepted("ws", "1,000 pings in one burst (control frames)", ws(w -> {
                    w.send(repeat(Wire.frameBytes(0x89, utf8("p"), true), 1000));
                    int pongs = 0;
                    while (pongs < 1000) if (w.readFrame().opcode() == 0xA) pongs++;
                    assertStillServed(w);
                })),
                accepted("ws", "unsolicited pong frames", ws(w -> {
                    w.send(repeat(Wire.frameBytes(0x8A, utf8("unasked"), true), 50));
                    assertStillServed(w);
                })),
                accepted("ws", "a future position is a gap, not an error", ws(w -> {
                    w.text("{\"op\":\"subscribe\",\"channel\":\"future\",\"since\":\"zz:" + Long.MAX_VALUE / 10 + "\"}");
                    assertThat(w.awaitText("\"subscribed\"")).contains("\"recovered\":false");
                    assertThat(w.awaitText("\"gap\"")).contains("\"future\"");
                })),
                accepted("ws", "a lone surrogate escape in data is relayed as valid UTF-8", ws(w -> {
                    w.text("{\"op\":\"subscribe\",\"channel\":\"lone\",\"id\":1}");
                    w.awaitText("\"subscribed\"");
                    w.text("{\"op\":\"publish\",\"channel\":\"lone\",\"data\":\"\\ud800\",\"id\":2}");
                    WsFrame message;
                    do message = w.readFrame(); while (!message.text().contains("\"message\""));
                    assertStrictUtf8(message.payload());
                })));
    }

    /**
     * 10,000 subscribe ops written at once: each is answered in order, the first {@code maxSubscriptions}
     * subscribed and the next refused ({@code too_many_channels}), until the connection's message burst
     * is spent: then the session is closed {@code 4429} (rate limited), and the rest is never read.
     */
    private static Case subscribeBurst() {
        int max = HubConfig.DEFAULT.maxSubscriptions();
        int ops = 10_000;
        return new Case("ws", "10,000 subscribe ops in one burst", Case.Count.of("ws", 4429), server -> {
            int burst = server.server().config().limits().messageBurst();
            double refusedBefore = server.server().metrics().errorCount("ws", 400);
            try (Wire w = Wire.open(server.port()).upgrade()) {
                ByteArrayOutputStream frames = new ByteArrayOutputStream();
                for (int i = 0; i < ops; i++) {
                    frames.write(Wire.frameBytes(0x81, utf8("{\"op\":\"subscribe\",\"channel\":\"burst-" + i + "\",\"id\":" + i + "}"), true));
                }
                w.send(frames.toByteArray());
                int subscribed = 0;
                int refused = 0;
                int close;
                while (true) {
                    WsFrame f = w.readFrame();
                    if (f.opcode() == 8) {
                        close = f.closeCode();
                        break;
                    }
                    if (f.text().contains("\"subscribed\"")) subscribed++;
                    else if (f.text().contains("\"error\"") && f.text().contains("\"code\":400")) refused++;
                }
                assertThat(close).isEqualTo(4429);
                assertThat(subscribed).isEqualTo(max);
                // The burst, plus what the bucket refilled while the burst was being answered.
                assertThat(subscribed + refused).isBetween(burst, ops - 1);
                int counted = refused;
                await().untilAsserted(() -> assertThat(server.server().metrics().errorCount("ws", 400) - refusedBefore)
                        .isEqualTo(counted));
            }
        });
    }

    /** Upgrade requests that are refused, broken or abandoned. */
    private static Stream<Case> upgrades() {
        String upgrade = Wire.upgradeRequest("/ws", "");
        return Stream.of(
                Case.refused("ws", "POST with upgrade headers", 405, "method_not_allowed", upgrade.replaceFirst("GET", "POST")),
                Case.refused("ws", "GET /ws without an upgrade", 400, "bad_request", Case.get("/ws")),
                Case.refused("ws", "an upgrade without Sec-WebSocket-Key", 400, "bad_request",
                        upgrade.replaceAll("Sec-WebSocket-Key: [^\r]*\r\n", "")),
                Case.refused("ws", "an upgrade from a foreign Origin", 403, "forbidden",
                        Wire.upgradeRequest("/ws", "Origin: https://evil.example\r\n")),
                new Case("ws", "WebSocket version 8", Case.Count.of("ws", 426), server -> {
                    try (Wire w = Wire.open(server.port())) {
                        Wire.Answer a = w.send(upgrade.replace("Version: 13", "Version: 8")).answer();
                        assertThat(a.status()).isEqualTo(426);
                        assertThat(a.headers().get("sec-websocket-version")).isEqualTo("13");
                    }
                }),
                new Case("ws", "a forged token on the upgrade URL", Case.Count.of("ws", 4401), server -> {
                    try (Wire w = Wire.open(server.port())) {
                        w.send(Wire.upgradeRequest("/ws?token=eyJhbGciOiJub25lIn0.eyJzdWIiOiJyb290In0.", ""));
                        assertThat(w.answer().status()).isEqualTo(101);
                        assertThat(w.awaitClose()).isEqualTo(4401);
                    }
                }),
                accepted("ws", "the client vanishes halfway through the upgrade request", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        w.send(upgrade.substring(0, upgrade.length() / 2));
                    }
                }),
                accepted("ws", "the client sends the upgrade and vanishes without reading", server -> {
                    try (Wire w = Wire.open(server.port())) {
                        w.send(upgrade);
                    }
                }),
                accepted("ws", "the client vanishes inside a frame (truncated payload)", ws(w ->
                        w.send(java.util.Arrays.copyOf(Wire.frameBytes(0x81, utf8("x".repeat(100)), true), 20)))),
                accepted("ws", "the client vanishes after one byte of a frame header", ws(w -> w.send(bytes(0x81)))),
                accepted("ws", "the client vanishes while subscribed, without a close frame", ws(w -> {
                    w.text("{\"op\":\"subscribe\",\"channel\":\"vanish\"}");
                    w.awaitText("\"subscribed\"");
                })),
                refusedRaw());
    }

    /** An upgrade whose Connection header does not ask for it: a plain GET, refused 400. */
    private static Case refusedRaw() {
        return new Case("ws", "Upgrade: websocket with Connection: keep-alive", Case.Count.of("ws", 400), server -> {
            try (Wire w = Wire.open(server.port())) {
                String req = Wire.upgradeRequest("/ws", "").replace("Connection: Upgrade", "Connection: keep-alive");
                assertRefusal(w.send(req).answer(), 400, "bad_request");
            }
        });
    }

    /** A probe on an upgraded raw connection, closed (abruptly, without a close frame) when it returns. */
    private static Case.Probe ws(Case.WsAction action) {
        return server -> {
            try (Wire w = Wire.open(server.port()).upgrade()) {
                action.on(w);
            }
        };
    }

    private static void assertStillServed(Wire w) throws java.io.IOException {
        w.text("{\"op\":\"ping\",\"id\":\"still\"}");
        assertThat(w.awaitText("\"still\"")).contains("\"pong\"");
    }

    private static void assertStrictUtf8(byte[] payload) throws java.nio.charset.CharacterCodingException {
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload));
    }

    /** A masked frame header announcing {@code length} (64-bit form) with no payload behind it. */
    private static byte[] header(int first, long length) {
        ByteBuffer b = ByteBuffer.allocate(14);
        b.put((byte) first).put((byte) (0x80 | 127)).putLong(length).put(new byte[] {1, 2, 3, 4});
        return b.array();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
        return b;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] repeat(byte[] one, int times) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(one.length * times);
        for (int i = 0; i < times; i++) out.writeBytes(one);
        return out.toByteArray();
    }
}
