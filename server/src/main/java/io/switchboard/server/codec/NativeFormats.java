package io.switchboard.server.codec;

import io.switchboard.core.message.ItemJson;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.WireFormat;
import java.nio.charset.StandardCharsets;

/**
 * The native protocol's message encodings, each made once per message (DESIGN.md rule 1):
 * <ul>
 *   <li>{@link #WS_FRAME}: a complete, unmasked WebSocket text frame (header + item JSON), written to
 *       the socket as-is, so the frame encoder does no work per subscriber;</li>
 *   <li>{@link #SSE_EVENT}: {@code event: NAME\ndata: ITEM\n\n}, the part of an SSE event shared by every
 *       stream (each stream prefixes its own {@code id:} line, since cursors are per stream).</li>
 * </ul>
 * Slots 1 and 2 of the message's encoding cache are theirs.
 */
public final class NativeFormats {
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
            byte[] item = m.encoded(ItemJson.FORMAT);
            byte[] event = ("event: " + m.event() + "\ndata: ").getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[event.length + item.length + 2];
            System.arraycopy(event, 0, out, 0, event.length);
            System.arraycopy(item, 0, out, event.length, item.length);
            out[out.length - 2] = '\n';
            out[out.length - 1] = '\n';
            return out;
        }
    };
}
