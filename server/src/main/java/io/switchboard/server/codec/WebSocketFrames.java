package io.switchboard.server.codec;

/** Builds server-to-client WebSocket frames by hand (RFC 6455 §5.2: FIN, opcode, unmasked length). */
public final class WebSocketFrames {
    private WebSocketFrames() {}

    /** A final, unmasked text frame carrying {@code payload} (UTF-8). */
    public static byte[] textFrame(byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] out = new byte[header + n];
        out[0] = (byte) 0x81; // FIN + text
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
        System.arraycopy(payload, 0, out, header, n);
        return out;
    }
}
