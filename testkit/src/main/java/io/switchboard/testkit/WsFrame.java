package io.switchboard.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * One WebSocket frame as raw-socket tests see it (RFC 6455 §5.2): reading a server frame, and writing the
 * bytes of any frame a test wants to send, well-formed or not. Shared by the tests that speak WebSocket
 * byte by byte instead of through a client library.
 *
 * @param opcode  the frame's opcode (1 text, 2 binary, 8 close, 9 ping, 10 pong)
 * @param payload the unmasked payload
 */
public record WsFrame(int opcode, byte[] payload) {
    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    /** The close code of a close frame; -1 when it has none. */
    public int closeCode() {
        return payload.length < 2 ? -1 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }

    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** Reads one (unmasked, server) frame. */
    public static WsFrame read(DataInputStream in) throws IOException {
        int first = in.readUnsignedByte();
        int len = in.readUnsignedByte() & 0x7F;
        if (len == 126) len = in.readUnsignedShort();
        else if (len == 127) len = Math.toIntExact(in.readLong());
        byte[] payload = new byte[len];
        in.readFully(payload);
        return new WsFrame(first & 0x0F, payload);
    }

    /**
     * The bytes of one frame with the shortest length encoding: {@code first} is the FIN/RSV/opcode byte;
     * client frames must be masked (a test may send one unmasked to see it refused).
     */
    public static byte[] bytes(int first, byte[] payload, boolean masked) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(first);
        int mask = masked ? 0x80 : 0;
        if (payload.length < 126) {
            f.write(mask | payload.length);
        } else if (payload.length < 65536) {
            f.write(mask | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xFF);
        } else {
            f.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) f.write((int) ((long) payload.length >>> shift) & 0xFF);
        }
        if (masked) f.write(MASK, 0, 4);
        for (int i = 0; i < payload.length; i++) f.write(masked ? payload[i] ^ MASK[i % 4] : payload[i]);
        return f.toByteArray();
    }
}
