package io.switchboard.server.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Builds server-to-client WebSocket frames by hand (RFC 6455 §5.2: FIN, opcode, unmasked length), so that
 * a session needs no frame-encoder handler of its own: it writes these bytes straight on.
 */
public final class WebSocketFrames {
    /** Payloads up to this size are copied behind their header into one buffer; larger ones are not copied. */
    private static final int COPY_BELOW = 1024;

    private WebSocketFrames() {}

    /** A final, unmasked text frame carrying {@code payload} (UTF-8). */
    public static byte[] textFrame(byte[] payload) {
        byte[] header = header(0x81, payload.length);
        byte[] out = new byte[header.length + payload.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(payload, 0, out, header.length, payload.length);
        return out;
    }

    /**
     * The wire bytes of {@code frame}, unmasked. Takes ownership of the frame: its content is in the
     * returned buffer (or released), which the caller owns and passes on by writing it.
     */
    public static ByteBuf encode(ByteBufAllocator alloc, WebSocketFrame frame) {
        ByteBuf payload = frame.content();
        int n = payload.readableBytes();
        byte[] header = header((frame.isFinalFragment() ? 0x80 : 0) | opcode(frame), n);
        if (n >= COPY_BELOW) return alloc.compositeBuffer(2).addComponents(true, alloc.buffer(header.length).writeBytes(header), payload);
        try {
            return alloc.buffer(header.length + n).writeBytes(header).writeBytes(payload);
        } finally {
            payload.release();
        }
    }

    private static int opcode(WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame) return 0x1;
        if (frame instanceof BinaryWebSocketFrame) return 0x2;
        if (frame instanceof CloseWebSocketFrame) return 0x8;
        if (frame instanceof PingWebSocketFrame) return 0x9;
        if (frame instanceof PongWebSocketFrame) return 0xA;
        return 0x0; // a continuation
    }

    /** The first byte {@code b0} (FIN, opcode) and the unmasked length of a payload of {@code n} bytes. */
    private static byte[] header(int b0, int n) {
        byte[] out = new byte[n < 126 ? 2 : n <= 0xFFFF ? 4 : 10];
        out[0] = (byte) b0;
        if (n < 126) {
            out[1] = (byte) n;
        } else if (n <= 0xFFFF) {
            out[1] = 126;
            out[2] = (byte) (n >>> 8);
            out[3] = (byte) n;
        } else {
            out[1] = 127;
            long len = n;
            for (int i = 0; i < 8; i++) out[2 + i] = (byte) (len >>> (56 - 8 * i));
        }
        return out;
    }
}
