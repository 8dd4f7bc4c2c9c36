package io.switchboard.server.sse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.switchboard.core.message.Cursor;
import io.switchboard.server.codec.Json;

/**
 * The per-stream pieces of PROTOCOL.md's "Server-Sent Events framing": the {@code retry:} line, the
 * {@code id:} line carrying the stream's cursor, control events ({@code sb:gap}, {@code sb:error}) and the
 * {@code : ping} comment. A message's {@code event:}/{@code data:} lines are not built here: they are
 * the shared bytes of {@link io.switchboard.server.codec.NativeFormats#SSE_EVENT}.
 *
 * <p>Every method returns a new buffer the caller owns (it must write or release it). Cursors are
 * ASCII by construction (epochs and offsets), and control items are compact JSON, so neither can hold
 * a line break that would end a field early.
 */
public final class SseFrames {
    private static final byte[] PING = {':', ' ', 'p', 'i', 'n', 'g', '\n', '\n'};

    private SseFrames() {}

    /** {@code retry: MILLIS\n}: how long a browser waits before reconnecting. */
    public static ByteBuf retry(ByteBufAllocator alloc, long millis) {
        String line = "retry: " + millis + "\n";
        ByteBuf buf = alloc.buffer(line.length());
        ByteBufUtil.writeAscii(buf, line);
        return buf;
    }

    /** {@code id: CURSOR\n\n}: a block that sets the client's last event id without dispatching an event. */
    public static ByteBuf idBlock(ByteBufAllocator alloc, Cursor cursor) {
        return id(alloc, cursor, true);
    }

    /** {@code id: CURSOR\n}: the line that precedes a message's shared {@code event:}/{@code data:} bytes. */
    public static ByteBuf idLine(ByteBufAllocator alloc, Cursor cursor) {
        return id(alloc, cursor, false);
    }

    private static ByteBuf id(ByteBufAllocator alloc, Cursor cursor, boolean endBlock) {
        String text = cursor.toString();
        ByteBuf buf = alloc.buffer(text.length() + 6);
        ByteBufUtil.writeAscii(buf, "id: ");
        ByteBufUtil.writeAscii(buf, text);
        buf.writeByte('\n');
        if (endBlock) buf.writeByte('\n');
        return buf;
    }

    /**
     * {@code [id: CURSOR\n]event: NAME\ndata: ITEM\n\n} for a control item; {@code cursor} null leaves the
     * client's last event id as it was.
     */
    public static ByteBuf control(ByteBufAllocator alloc, Cursor cursor, String event, ObjectNode item) {
        byte[] json = Json.bytes(item);
        ByteBuf buf = alloc.buffer(json.length + event.length() + 64);
        if (cursor != null) {
            ByteBufUtil.writeAscii(buf, "id: ");
            ByteBufUtil.writeAscii(buf, cursor.toString());
            buf.writeByte('\n');
        }
        ByteBufUtil.writeAscii(buf, "event: ");
        ByteBufUtil.writeAscii(buf, event);
        ByteBufUtil.writeAscii(buf, "\ndata: ");
        buf.writeBytes(json);
        buf.writeByte('\n').writeByte('\n');
        return buf;
    }

    /** {@code : ping\n\n}: a comment that keeps an idle stream (and every proxy on the way) alive. */
    public static ByteBuf ping(ByteBufAllocator alloc) {
        return alloc.buffer(PING.length).writeBytes(PING);
    }
}
