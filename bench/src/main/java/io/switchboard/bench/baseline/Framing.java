package io.switchboard.bench.baseline;

import java.nio.charset.StandardCharsets;

/** The baseline's pre-framed bytes: an unmasked WebSocket text frame, and an SSE event as one HTTP chunk. */
final class Framing {
    private Framing() {}

    static byte[] wsText(byte[] payload) {
        int n = payload.length;
        int head = n < 126 ? 2 : n < 65536 ? 4 : 10;
        byte[] out = new byte[head + n];
        out[0] = (byte) 0x81; // FIN + text
        if (n < 126) {
            out[1] = (byte) n;
        } else if (n < 65536) {
            out[1] = 126;
            out[2] = (byte) (n >> 8);
            out[3] = (byte) n;
        } else {
            out[1] = 127;
            for (int i = 0; i < 8; i++) out[2 + i] = (byte) ((long) n >> (56 - 8 * i));
        }
        System.arraycopy(payload, 0, out, head, n);
        return out;
    }

    /** {@code data: PAYLOAD\n\n} wrapped as one chunk of a chunked body. */
    static byte[] sseChunk(byte[] payload) {
        byte[] data = ("data: " + new String(payload, StandardCharsets.UTF_8) + "\n\n").getBytes(StandardCharsets.UTF_8);
        byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + data.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(data, 0, out, head.length, data.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }
}
