package io.switchboard.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.switchboard.server.ws.FrameReader.Failure;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The session's frame reader on raw client bytes: whole frames out, broken ones refused as Netty's decoder would. */
class FrameReaderTest {
    private static final int MAX = 1000;
    private static final int MASK = 0x1A2B3C4D;

    private final Recorder sink = new Recorder();
    private final List<ByteBuf> inputs = new ArrayList<>();

    @AfterEach
    void releaseEverything() {
        inputs.forEach(ByteBuf::release);
    }

    /** Records each frame as "TYPE fin text" and releases it. */
    private static final class Recorder implements FrameReader.Sink {
        final List<String> frames = new ArrayList<>();
        boolean mid;

        @Override
        public void frame(WebSocketFrame frame) {
            String type = frame.getClass().getSimpleName().replace("WebSocketFrame", "");
            String body = frame instanceof CloseWebSocketFrame c
                    ? c.statusCode() + ":" + c.reasonText()
                    : frame.content().toString(StandardCharsets.UTF_8);
            frames.add(type + " " + frame.isFinalFragment() + " " + body);
            frame.release();
        }

        @Override
        public boolean midMessage() {
            return mid;
        }

        @Override
        public void midMessage(boolean under) {
            mid = under;
        }

        @Override
        public void failed(Failure failure) {
            frames.add("failed " + failure);
        }
    }

    /** A client frame: first byte {@code b0}, masked with {@link #MASK} unless {@code masked} is false. */
    private static byte[] frame(int b0, byte[] payload, boolean masked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(b0);
        int m = masked ? 0x80 : 0;
        int n = payload.length;
        if (n < 126) {
            out.write(m | n);
        } else if (n <= 0xFFFF) {
            out.write(m | 126);
            out.write(n >>> 8);
            out.write(n);
        } else {
            out.write(m | 127);
            for (int i = 7; i >= 0; i--) out.write((int) ((long) n >>> (8 * i)));
        }
        if (masked) for (int i = 3; i >= 0; i--) out.write(MASK >>> (8 * i));
        for (int i = 0; i < n; i++) out.write(masked ? payload[i] ^ (MASK >>> (8 * (3 - i % 4))) : payload[i]);
        return out.toByteArray();
    }

    private static byte[] frame(int b0, String text) {
        return frame(b0, text.getBytes(StandardCharsets.UTF_8), true);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private Failure read(byte[] bytes) {
        ByteBuf in = Unpooled.copiedBuffer(bytes);
        inputs.add(in);
        return FrameReader.read(in, MAX, sink);
    }

    @Test
    void readsWholeFramesAndWaitsForTheRestOfAnIncompleteOne() {
        String long300 = "x".repeat(300); // a 16-bit length
        byte[] wire = concat(frame(0x81, "{\"op\":\"ping\"}"), frame(0x89, "p"), frame(0x81, long300), frame(0x8A, ""));
        List<String> expected = List.of("Text true {\"op\":\"ping\"}", "Ping true p", "Text true " + long300, "Pong true ");
        // Split at every byte: what the reader leaves unread comes back with the next bytes, as the session does.
        for (int cut = 0; cut <= wire.length; cut++) {
            sink.frames.clear();
            ByteBuf in = Unpooled.buffer();
            inputs.add(in);
            in.writeBytes(wire, 0, cut);
            assertThat(FrameReader.read(in, MAX, sink)).isNull();
            in.writeBytes(wire, cut, wire.length - cut);
            assertThat(FrameReader.read(in, MAX, sink)).isNull();
            assertThat(in.isReadable()).isFalse();
            assertThat(sink.frames).as("cut at %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void keepsTheStartOfAFrameUntilTheRestArrivesAndReportsFailuresToTheSink() {
        byte[] wire = frame(0x81, "{\"op\":\"ping\"}");
        ByteBuf pending = FrameReader.read(ByteBufAllocator.DEFAULT, null, Unpooled.copiedBuffer(wire, 0, 5), MAX, sink);
        assertThat(pending.readableBytes()).isEqualTo(5);
        assertThat(sink.frames).isEmpty();
        pending = FrameReader.read(ByteBufAllocator.DEFAULT, pending, Unpooled.copiedBuffer(wire, 5, wire.length - 5), MAX, sink);
        assertThat(pending).isNull();
        assertThat(sink.frames).containsExactly("Text true {\"op\":\"ping\"}");
        pending = FrameReader.read(ByteBufAllocator.DEFAULT, null, Unpooled.copiedBuffer(frame(0xC1, "x")), MAX, sink);
        assertThat(pending).isNull();
        assertThat(sink.frames).endsWith("failed PROTOCOL");
    }

    @Test
    void fragmentsComeInOrderWithControlFramesBetween() {
        assertThat(read(concat(frame(0x01, "{\"op\":"), frame(0x89, "p"), frame(0x00, "\"ping\""), frame(0x80, "}")))).isNull();
        assertThat(sink.frames).containsExactly("Text false {\"op\":", "Ping true p", "Continuation false \"ping\"",
                "Continuation true }");
        assertThat(sink.mid).isFalse();
    }

    @Test
    void refusesWhatRfc6455Forbids() {
        assertThat(read(frame(0x81, "hi".getBytes(StandardCharsets.UTF_8), false))).as("unmasked").isEqualTo(Failure.PROTOCOL);
        assertThat(read(frame(0xC1, "hi"))).as("RSV1 without an extension").isEqualTo(Failure.PROTOCOL);
        assertThat(read(frame(0x83, "hi"))).as("reserved data opcode").isEqualTo(Failure.PROTOCOL);
        assertThat(read(frame(0x8B, "hi"))).as("reserved control opcode").isEqualTo(Failure.PROTOCOL);
        assertThat(read(frame(0x09, ""))).as("fragmented ping").isEqualTo(Failure.PROTOCOL);
        assertThat(read(frame(0x89, "p".repeat(126)))).as("ping over 125 bytes").isEqualTo(Failure.PROTOCOL);
        assertThat(read(frame(0x80, "x"))).as("continuation of nothing").isEqualTo(Failure.PROTOCOL);
        assertThat(sink.frames).isEmpty();
    }

    @Test
    void refusesANewMessageInsideAFragmentedOne() {
        assertThat(read(concat(frame(0x01, "{"), frame(0x81, "{}")))).isEqualTo(Failure.PROTOCOL);
        assertThat(sink.frames).containsExactly("Text false {");
    }

    @Test
    void refusesLengthsNotInTheShortestFormOrNegative() {
        assertThat(read(new byte[] {(byte) 0x81, (byte) (0x80 | 126), 0, 5})).as("16-bit length of 5").isEqualTo(Failure.PROTOCOL);
        assertThat(read(new byte[] {(byte) 0x81, (byte) (0x80 | 127), 0, 0, 0, 0, 0, 0, 1, 0})).as("64-bit length of 256")
                .isEqualTo(Failure.PROTOCOL);
        assertThat(read(new byte[] {(byte) 0x81, (byte) (0x80 | 127), (byte) 0x80, 0, 0, 0, 0, 0, 0, 0})).as("negative")
                .isEqualTo(Failure.PROTOCOL);
    }

    @Test
    void aFrameOverTheLimitIsRefusedFromItsHeaderAlone() {
        assertThat(read(new byte[] {(byte) 0x81, (byte) (0x80 | 127), 0x40, 0, 0, 0, 0, 0, 0, 0})).isEqualTo(Failure.TOO_LARGE);
        assertThat(read(new byte[] {(byte) 0x81, (byte) (0x80 | 126), 0x03, (byte) 0xE9})).as("1001 bytes").isEqualTo(Failure.TOO_LARGE);
        assertThat(read(frame(0x81, "x".repeat(MAX)))).as("exactly the limit").isNull();
        assertThat(sink.frames).hasSize(1);
    }

    @Test
    void checksACloseFramesCodeAndReason() {
        assertThat(read(frame(0x88, new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'}, true))).isNull();
        assertThat(read(frame(0x88, new byte[0], true))).isNull();
        assertThat(sink.frames).containsExactly("Close true 1000:bye", "Close true -1:");
        assertThat(read(frame(0x88, new byte[] {0x03}, true))).as("one byte").isEqualTo(Failure.PROTOCOL);
        assertThat(read(frame(0x88, new byte[] {0x03, (byte) 0xED}, true))).as("1005 is never sent").isEqualTo(Failure.PROTOCOL);
        assertThat(read(frame(0x88, new byte[] {0x03, (byte) 0xE8, (byte) 0xC3, 0x28}, true))).as("reason not UTF-8")
                .isEqualTo(Failure.PROTOCOL);
    }
}
