package io.switchboard.server.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.util.Arrays;
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
}
