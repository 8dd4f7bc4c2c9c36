package io.switchboard.server.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.switchboard.server.codec.ItemFormat;
import io.switchboard.server.codec.Items;
import java.nio.charset.StandardCharsets;

/**
 * How a Comet stream frames its items (PROTOCOL.md's table):
 * <ul>
 *   <li>{@code /stream}: {@code application/x-ndjson}, one item per line ({@link ItemFormat#NDJSON}), a blank
 *       line as heartbeat;</li>
 *   <li>{@code /iframe}: {@code text/html}, a document start padded to {@value #MIN_FIRST_CHUNK} bytes (browsers
 *       hold back rendering, and so running scripts, of the first kilobyte or so), then
 *       {@code <script>F(ITEM);</script>} per item with script-safe items ({@link ItemFormat#SCRIPT}) and
 *       {@code <script>F({"type":"ping"});</script>} as heartbeat.</li>
 * </ul>
 * A message's item bytes are the shared encoding of {@code format}; only the script wrapper is per stream.
 * Every method returning a buffer hands the caller a new one it owns (it must write or release it).
 *
 * @param door     the door's name, for metrics
 * @param format   how items are written
 * @param callback the iframe's callback, already checked; null for NDJSON
 */
record StreamFraming(String door, ItemFormat format, String callback) {
    static final String NDJSON_TYPE = "application/x-ndjson; charset=utf-8";
    static final String HTML_TYPE = "text/html; charset=utf-8";
    /** The iframe's first chunk is at least this long. */
    static final int MIN_FIRST_CHUNK = 1024;

    private static final byte[] HEARTBEAT_LINE = {'\n'};
    private static final String DOCUMENT_START = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            + "<title>switchboard</title></head><body>\n<!--";
    private static final String PADDING_END = "-->\n";

    static StreamFraming ndjson() {
        return new StreamFraming("stream", ItemFormat.NDJSON, null);
    }

    static StreamFraming iframe(String callback) {
        return new StreamFraming("iframe", ItemFormat.SCRIPT, callback);
    }

    String contentType() {
        return callback == null ? NDJSON_TYPE : HTML_TYPE;
    }

    /**
     * The first chunk: the {@code open} item, for the iframe after the padded document start.
     * {@code session} and {@code cursor} are ASCII with nothing JSON or HTML would escape.
     */
    ByteBuf first(ByteBufAllocator alloc, String session, String cursor) {
        ObjectNode open = Items.type("open");
        open.put("session", session);
        open.put("cursor", cursor);
        ByteBuf item = control(alloc, open);
        if (callback == null) return item;
        int padding = Math.max(0, MIN_FIRST_CHUNK - DOCUMENT_START.length() - PADDING_END.length());
        ByteBuf buf = alloc.buffer(DOCUMENT_START.length() + padding + PADDING_END.length() + item.readableBytes());
        ByteBufUtil.writeAscii(buf, DOCUMENT_START);
        buf.writeCharSequence(" ".repeat(padding), StandardCharsets.US_ASCII);
        ByteBufUtil.writeAscii(buf, PADDING_END);
        buf.writeBytes(item);
        item.release();
        return buf;
    }

    /** A control item (open, error, ping) framed for this door. */
    ByteBuf control(ByteBufAllocator alloc, ObjectNode item) {
        return item(alloc, Unpooled.wrappedBuffer(format.control(item)));
    }

    /**
     * An item from {@link io.switchboard.server.session.HttpSession#take} framed for this door. Takes
     * ownership of {@code item}: NDJSON returns it as it is; the iframe returns a composite that owns it.
     */
    ByteBuf item(ByteBufAllocator alloc, ByteBuf item) {
        if (callback == null) return item;
        ByteBuf prefix = ascii(alloc, "<script>" + callback + "(");
        ByteBuf suffix = ascii(alloc, ");</script>");
        return alloc.compositeBuffer(3).addComponents(true, prefix, item, suffix);
    }

    /** What keeps an idle stream (and every proxy on the way) alive. */
    ByteBuf heartbeat(ByteBufAllocator alloc) {
        if (callback == null) return Unpooled.wrappedBuffer(HEARTBEAT_LINE);
        return control(alloc, Items.type("ping"));
    }

    private static ByteBuf ascii(ByteBufAllocator alloc, String text) {
        ByteBuf buf = alloc.buffer(text.length());
        ByteBufUtil.writeAscii(buf, text);
        return buf;
    }
}
