package io.switchboard.server.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.Arrays;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebSocketFramesTest {

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 200_000})
    void handBuiltFrameEqualsNettysEncoderOutput(int size) {
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 'x');

        EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
        encoder.writeOutbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)));
        ByteBuf expected = Unpooled.buffer();
        for (ByteBuf part; (part = encoder.readOutbound()) != null; ) {
            expected.writeBytes(part);
            part.release();
        }
        assertThat(encoder.finish()).isFalse();

        assertThat(WebSocketFrames.textFrame(payload)).isEqualTo(ByteBufUtil.getBytes(expected));
        expected.release();
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 300, 70_000})
    void clientDecoderReadsItBack(int size) {
        byte[] payload = new byte[size];
        Arrays.fill(payload, (byte) 'y');
        // A client-side decoder (expects unmasked frames from the server).
        EmbeddedChannel decoder = new EmbeddedChannel(new WebSocket08FrameDecoder(
                WebSocketDecoderConfig.newBuilder().expectMaskedFrames(false).maxFramePayloadLength(1 << 20).build()));
        decoder.writeInbound(Unpooled.wrappedBuffer(WebSocketFrames.textFrame(payload)));
        TextWebSocketFrame frame = decoder.readInbound();
        assertThat(frame.isFinalFragment()).isTrue();
        assertThat(ByteBufUtil.getBytes(frame.content())).isEqualTo(payload);
        frame.release();
        assertThat(decoder.finish()).isFalse();
    }

    /** What Netty's server encoder writes for {@code frame}. */
    private static byte[] netty(WebSocketFrame frame) {
        EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket08FrameEncoder(false));
        encoder.writeOutbound(frame);
        ByteBuf out = Unpooled.buffer();
        for (ByteBuf part; (part = encoder.readOutbound()) != null; ) {
            out.writeBytes(part);
            part.release();
        }
        assertThat(encoder.finish()).isFalse();
        byte[] bytes = ByteBufUtil.getBytes(out);
        out.release();
        return bytes;
    }

    private static void sameAsNetty(Supplier<WebSocketFrame> frame) {
        ByteBuf ours = WebSocketFrames.encode(ByteBufAllocator.DEFAULT, frame.get());
        try {
            assertThat(ByteBufUtil.getBytes(ours)).isEqualTo(netty(frame.get()));
        } finally {
            ours.release();
        }
    }

    /** The session writes its frames as bytes (no encoder handler): byte for byte what Netty's encoder writes. */
    @Test
    void encodedFramesEqualNettysEncoderOutput() {
        for (int n : new int[] {0, 125, 126, 1023, 1024, 65535, 65536, 100_000}) {
            byte[] payload = new byte[n];
            Arrays.fill(payload, (byte) 'z');
            sameAsNetty(() -> new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)));
        }
        sameAsNetty(PingWebSocketFrame::new);
        sameAsNetty(() -> new PongWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
        sameAsNetty(() -> new CloseWebSocketFrame(4408, "heartbeat timeout"));
    }
}
