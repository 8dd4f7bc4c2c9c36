package io.switchboard.server.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;

/**
 * Reads client WebSocket frames from bytes (RFC 6455 §5), in place of a frame-decoder handler (and its
 * pipeline context) on every connection: stateless, so a session keeps only the bytes of an incomplete
 * frame (rarely any) and whether a fragmented message is under way. Checks what Netty's decoder checks:
 * no RSV bits (no extension is agreed), masked client frames, known opcodes, control frames whole and at most
 * 125 bytes, minimal length encoding, fragments in order, a close frame's code and UTF-8 reason, and the
 * frame size limit.
 */
final class FrameReader {
    /** Where frames go, and the fragmentation state the reader checks them against. */
    interface Sink {
        /** A whole frame, unmasked; the sink owns it. */
        void frame(WebSocketFrame frame);

        /** True while a fragmented data message is under way (its last fragment not yet read). */
        boolean midMessage();

        void midMessage(boolean under);

        /** The bytes broke RFC 6455 or the limit: nothing more is to be read from this connection. */
        void failed(Failure failure);
    }

    /** Why reading stopped for good: the connection is to fail ({@code 4400}, or {@code 4413} for a frame too large). */
    enum Failure { PROTOCOL, TOO_LARGE }

    private FrameReader() {}

    /**
     * Reads {@code bytes} (taken over) after {@code pending} (taken over; null when none), handing {@code sink}
     * every whole frame, or telling it why the bytes cannot be read. Returns the start of an incomplete last
     * frame, which the caller owns and passes back with the next bytes; null when there is none.
     */
    static ByteBuf read(ByteBufAllocator alloc, ByteBuf pending, ByteBuf bytes, int maxPayload, Sink sink) {
        ByteBuf in = pending == null ? bytes : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, pending, bytes);
        Failure failure;
        try {
            failure = read(in, maxPayload, sink);
        } catch (RuntimeException e) {
            in.release();
            throw e;
        }
        if (failure == null && in.isReadable()) return in.discardSomeReadBytes();
        in.release();
        if (failure != null) sink.failed(failure);
        return null;
    }

    /**
     * Hands {@code sink} every whole frame at the start of {@code in} (moving its reader index past them) and
     * leaves an incomplete last frame unread. Returns null, or why the bytes cannot be read on; then nothing
     * more must be read from this connection.
     */
    static Failure read(ByteBuf in, int maxPayload, Sink sink) {
        while (in.readableBytes() >= 2) {
            int start = in.readerIndex();
            int b0 = in.getUnsignedByte(start);
            int b1 = in.getUnsignedByte(start + 1);
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            int len7 = b1 & 0x7F;
            if ((b0 & 0x70) != 0 || (b1 & 0x80) == 0) return Failure.PROTOCOL; // RSV without an extension; unmasked
            if (opcode >= 8) {
                if (opcode > 10 || !fin || len7 > 125 || opcode == 8 && len7 == 1) return Failure.PROTOCOL;
            } else if (opcode > 2 || (opcode == 0) != sink.midMessage()) {
                return Failure.PROTOCOL; // reserved opcode, or fragments out of order (§5.4)
            }
            int lengthBytes = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
            if (in.readableBytes() < 2 + lengthBytes) return null;
            long length = len7 == 126 ? in.getUnsignedShort(start + 2) : len7 == 127 ? in.getLong(start + 2) : len7;
            if (length < 0 || len7 == 126 && length < 126 || len7 == 127 && length < 65536) {
                return Failure.PROTOCOL; // a negative length, or not the shortest encoding (§5.2)
            }
            if (length > maxPayload) return Failure.TOO_LARGE;
            int headerBytes = 2 + lengthBytes + 4;
            if (in.readableBytes() < headerBytes + length) return null;
            int mask = in.getInt(start + 2 + lengthBytes);
            in.skipBytes(headerBytes);
            ByteBuf payload = in.readRetainedSlice((int) length); // ours now; the frame takes it over
            unmask(payload, mask);
            if (opcode == 8 && !validCloseBody(payload)) {
                payload.release();
                return Failure.PROTOCOL;
            }
            if (opcode < 8) sink.midMessage(!fin);
            sink.frame(frame(opcode, fin, payload));
        }
        return null;
    }

    private static WebSocketFrame frame(int opcode, boolean fin, ByteBuf payload) {
        return switch (opcode) {
            case 0 -> new ContinuationWebSocketFrame(fin, 0, payload);
            case 1 -> new TextWebSocketFrame(fin, 0, payload);
            case 2 -> new BinaryWebSocketFrame(fin, 0, payload);
            case 8 -> new CloseWebSocketFrame(true, 0, payload);
            case 9 -> new PingWebSocketFrame(payload);
            default -> new PongWebSocketFrame(payload);
        };
    }

    /** XORs {@code payload} in place with the 4-byte {@code mask} (§5.3). */
    private static void unmask(ByteBuf payload, int mask) {
        int i = payload.readerIndex();
        int end = payload.writerIndex();
        for (; i + 4 <= end; i += 4) payload.setInt(i, payload.getInt(i) ^ mask);
        for (int shift = 24; i < end; i++, shift -= 8) payload.setByte(i, payload.getByte(i) ^ (mask >>> shift));
    }

    /** A close frame's body: empty, or a valid status code and a UTF-8 reason (§5.5.1, §7.4). */
    private static boolean validCloseBody(ByteBuf body) {
        if (!body.isReadable()) return true;
        if (!WebSocketCloseStatus.isValidStatusCode(body.getUnsignedShort(body.readerIndex()))) return false;
        return ByteBufUtil.isText(body, body.readerIndex() + 2, body.readableBytes() - 2, StandardCharsets.UTF_8);
    }
}
