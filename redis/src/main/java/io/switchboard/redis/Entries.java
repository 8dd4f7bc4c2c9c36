package io.switchboard.redis;

import io.switchboard.core.message.Message;
import io.switchboard.core.message.Publication;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How a message is stored in Redis. The Java side writes the body: {@code EVENT \n FROMLEN \n FROM DATA}
 * (FROMLEN -1 when there is no publisher), binary-safe because the publisher's length is given. The
 * publish script prefixes {@code OFFSET:TIMESTAMP:} for the history list, and {@code EPOCH:} more for
 * pub/sub, where the receiving node has nothing else to learn the epoch from.
 */
final class Entries {
    private Entries() {}

    static byte[] body(Publication p) {
        byte[] event = p.event().getBytes(StandardCharsets.US_ASCII);
        byte[] from = p.from() == null ? null : p.from().getBytes(StandardCharsets.UTF_8);
        byte[] fromLen = Integer.toString(from == null ? -1 : from.length).getBytes(StandardCharsets.US_ASCII);
        byte[] data = p.data();
        byte[] out = new byte[event.length + 1 + fromLen.length + 1 + (from == null ? 0 : from.length) + data.length];
        int i = 0;
        System.arraycopy(event, 0, out, i, event.length);
        i += event.length;
        out[i++] = '\n';
        System.arraycopy(fromLen, 0, out, i, fromLen.length);
        i += fromLen.length;
        out[i++] = '\n';
        if (from != null) {
            System.arraycopy(from, 0, out, i, from.length);
            i += from.length;
        }
        System.arraycopy(data, 0, out, i, data.length);
        return out;
    }

    /** A history entry {@code OFFSET:TIMESTAMP:BODY} of {@code channel} in {@code epoch}. */
    static Message fromHistory(String channel, String epoch, byte[] entry) {
        return parse(channel, epoch, entry, 0);
    }

    /** A pub/sub payload {@code EPOCH:OFFSET:TIMESTAMP:BODY}. */
    static Message fromPubSub(String channel, byte[] payload) {
        int colon = indexOf(payload, (byte) ':', 0);
        return parse(channel, ascii(payload, 0, colon), payload, colon + 1);
    }

    private static Message parse(String channel, String epoch, byte[] b, int at) {
        int c1 = indexOf(b, (byte) ':', at);
        int c2 = indexOf(b, (byte) ':', c1 + 1);
        long offset = Long.parseLong(ascii(b, at, c1));
        long timestamp = Long.parseLong(ascii(b, c1 + 1, c2));
        int n1 = indexOf(b, (byte) '\n', c2 + 1);
        int n2 = indexOf(b, (byte) '\n', n1 + 1);
        String event = ascii(b, c2 + 1, n1);
        int fromLen = Integer.parseInt(ascii(b, n1 + 1, n2));
        int dataAt = n2 + 1 + Math.max(0, fromLen);
        String from = fromLen < 0 ? null : new String(b, n2 + 1, fromLen, StandardCharsets.UTF_8);
        return new Message(channel, event, Arrays.copyOfRange(b, dataAt, b.length), epoch, offset, timestamp, from);
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == c) return i;
        throw new IllegalArgumentException("malformed Redis entry");
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.US_ASCII);
    }
}
