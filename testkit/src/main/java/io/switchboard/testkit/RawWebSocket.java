package io.switchboard.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client on a plain socket that the test controls byte by byte: it upgrades, sends masked text
 * frames, and reads only when told to. A client that stops reading, with a small receive buffer, is what a
 * slow consumer looks like to the server.
 */
public final class RawWebSocket implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /** Connects to {@code /ws} with a receive buffer of {@code receiveBuffer} bytes and reads the 101 answer. */
    public static RawWebSocket connect(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(receiveBuffer); // before connect, so the window is small from the start
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.setSoTimeout(10_000);
        RawWebSocket ws = new RawWebSocket(s);
        ws.out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String head = ws.readHead();
        if (!head.startsWith("HTTP/1.1 101")) throw new IOException("upgrade refused: " + head);
        return ws;
    }

    /** Sends {@code text} as one masked text frame (clients must mask, RFC 6455 §5.3). */
    public RawWebSocket send(String text) throws IOException {
        out.write(WsFrame.bytes(0x81, text.getBytes(StandardCharsets.UTF_8), true));
        out.flush();
        return this;
    }

    /** Reads and discards everything until the server closes the connection; returns the bytes read. */
    public long drainUntilClosed() throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) total += n;
        return total;
    }

    public InputStream input() {
        return in;
    }

    private String readHead() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) throw new IOException("closed during the upgrade: " + sb);
            sb.append((char) b);
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
