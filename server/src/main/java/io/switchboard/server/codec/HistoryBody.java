package io.switchboard.server.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchboard.core.broker.History;
import io.switchboard.core.message.ItemJson;
import io.switchboard.core.message.Message;
import java.nio.charset.StandardCharsets;

/**
 * The body of a history read over HTTP, {@code {"messages":[…],"cursor":"E:O"}}, shared by
 * {@code GET /history} and the server API's {@code GET /api/channels/C/history}. A position that cannot
 * be served gives one {@code gap} item first and the latest position as cursor.
 */
public final class HistoryBody {
    private static final byte[] MESSAGES_OPEN = "{\"messages\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CURSOR_OPEN = "],\"cursor\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "\"}".getBytes(StandardCharsets.US_ASCII);

    private HistoryBody() {}

    /**
     * Writes the answer around each message's cached item bytes, which go in as they are: no re-parse,
     * no re-encode. Returns a buffer the caller owns.
     */
    public static ByteBuf write(ByteBufAllocator alloc, String channel, History h) {
        byte[] gap = h.gap() ? Json.bytes(Items.gap(channel, h.latest())) : null;
        int size = MESSAGES_OPEN.length + CURSOR_OPEN.length + CLOSE.length + 40 + (gap == null ? 0 : gap.length);
        for (Message m : h.messages()) size += m.encoded(ItemJson.FORMAT).length + 1;
        ByteBuf out = alloc.buffer(size);
        try {
            out.writeBytes(MESSAGES_OPEN);
            if (gap != null) out.writeBytes(gap);
            boolean first = gap == null;
            for (Message m : h.messages()) {
                if (!first) out.writeByte(',');
                first = false;
                out.writeBytes(m.encoded(ItemJson.FORMAT));
            }
            out.writeBytes(CURSOR_OPEN);
            // Epochs and offsets hold no character JSON would need to escape.
            out.writeCharSequence(h.cursor().toString(), StandardCharsets.US_ASCII);
            out.writeBytes(CLOSE);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
