package io.switchboard.server.codec;

import io.switchboard.core.message.ItemJson;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.WireFormat;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The native protocol's message encodings, each made once per message (DESIGN.md rule 1):
 * <ul>
 *   <li>{@link #WS_FRAME}: a complete, unmasked WebSocket text frame (header + item JSON), written to
 *       the socket as-is, so the frame encoder does no work per subscriber;</li>
 *   <li>{@link #SSE_EVENT}: {@code event: NAME\ndata: ITEM\n\n}, the part of an SSE event shared by every
 *       stream (each stream prefixes its own {@code id:} line, since cursors are per stream);</li>
 *   <li>{@link #SCRIPT_ITEM}: the item made safe for a {@code <script>} element ({@link ScriptSafe}), shared
 *       by the JSONP and forever-iframe doors, which wrap it in each client's own callback;</li>
 *   <li>{@link #NDJSON_LINE}: the item on one line, newline-terminated, for HTTP streaming.</li>
 * </ul>
 * Slots 1 to 4 of the message's encoding cache are theirs.
 */
public final class NativeFormats {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

    private NativeFormats() {}

    public static final WireFormat WS_FRAME = new WireFormat(1, "native-ws-frame") {
        @Override
        protected byte[] encode(Message m) {
            return WebSocketFrames.textFrame(m.encoded(ItemJson.FORMAT));
        }
    };

    public static final WireFormat SSE_EVENT = new WireFormat(2, "native-sse-event") {
        @Override
        protected byte[] encode(Message m) {
            return sseEvent(m.event(), m.encoded(ItemJson.FORMAT));
        }
    };

    public static final WireFormat SCRIPT_ITEM = new WireFormat(3, "native-script-item") {
        @Override
        protected byte[] encode(Message m) {
            return ScriptSafe.escape(m.encoded(ItemJson.FORMAT));
        }
    };

    public static final WireFormat NDJSON_LINE = new WireFormat(4, "native-ndjson-line") {
        @Override
        protected byte[] encode(Message m) {
            return ndjsonLine(m.encoded(ItemJson.FORMAT));
        }
    };

    /**
     * The item and a {@code \n}. A line break inside the item can only be whitespace between JSON tokens
     * (a publisher's raw JSON: inside strings JSON escapes it), so it becomes a space: the same JSON on
     * one line, and the line framing holds.
     */
    static byte[] ndjsonLine(byte[] item) {
        byte[] out = Arrays.copyOf(item, item.length + 1);
        for (int i = 0; i < item.length; i++) {
            if (out[i] == '\n' || out[i] == '\r') out[i] = ' ';
        }
        out[item.length] = '\n';
        return out;
    }

    /**
     * {@code event: NAME\ndata: ITEM\n\n}. A line break in the item (only possible as whitespace in a
     * publisher's raw JSON: inside strings JSON escapes it) would end the field early, so each line of
     * the item gets its own {@code data:} line; the client joins them with {@code \n}, which is the
     * same JSON. UTF-8 never uses the bytes CR and LF inside a multi-byte character.
     */
    static byte[] sseEvent(String event, byte[] item) {
        byte[] head = ("event: " + event + "\ndata: ").getBytes(StandardCharsets.US_ASCII);
        int breaks = 0;
        for (byte b : item) {
            if (b == '\n' || b == '\r') breaks++;
        }
        byte[] out = new byte[head.length + item.length + breaks * DATA.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        int n = head.length;
        if (breaks == 0) {
            System.arraycopy(item, 0, out, n, item.length);
            n += item.length;
        } else {
            for (int i = 0; i < item.length; i++) {
                byte b = item[i];
                if (b == '\r' && i + 1 < item.length && item[i + 1] == '\n') continue; // CRLF: one break
                if (b == '\n' || b == '\r') {
                    out[n++] = '\n';
                    System.arraycopy(DATA, 0, out, n, DATA.length);
                    n += DATA.length;
                } else {
                    out[n++] = b;
                }
            }
        }
        out[n++] = '\n';
        out[n++] = '\n';
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
