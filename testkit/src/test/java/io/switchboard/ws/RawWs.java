package io.switchboard.ws;

import io.switchboard.testkit.HttpLines;
import io.switchboard.testkit.WsFrame;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket, for what the JDK client will not send: hand-written upgrade
 * requests (odd headers, foreign Host) and malformed frames.
 */
final class RawWs implements AutoCloseable {
    /** An HTTP answer: status, headers (lower-case names) and body. */
    record Response(int status, Map<String, String> headers, String body) {}

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWs(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawWs connect(int port) throws IOException {
        return new RawWs(new Socket("127.0.0.1", port));
    }

    /** A well-formed upgrade request for {@code path} with {@code extraHeaders} (CRLF-terminated lines). */
    static String upgradeRequest(String path, String host, String extraHeaders) {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    }

    /** Sends a request and reads the answer's head, and its body when it has a Content-Length. */
    Response request(String request) throws IOException {
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        String body = "";
        if (headers.containsKey("content-length")) {
            byte[] b = new byte[Integer.parseInt(headers.get("content-length"))];
            in.readFully(b);
            body = new String(b, StandardCharsets.UTF_8);
        }
        return new Response(status, headers, body);
    }

    /** Upgrades on {@code /ws} and returns the welcome frame's text. */
    String upgrade() throws IOException {
        Response r = request(upgradeRequest("/ws", "127.0.0.1:" + socket.getPort(), ""));
        if (r.status() != 101) throw new AssertionError("upgrade refused: " + r);
        return readFrame().text();
    }

    /** Sends one frame: {@code first} is the FIN/RSV/opcode byte; client frames are masked unless told. */
    void sendFrame(int first, byte[] payload, boolean masked) throws IOException {
        out.write(WsFrame.bytes(first, payload, masked));
        out.flush();
    }

    WsFrame readFrame() throws IOException {
        return WsFrame.read(in);
    }

    /** Reads frames until the close frame and returns its code. */
    int awaitCloseCode() throws IOException {
        while (true) {
            WsFrame f = readFrame();
            if (f.opcode() == 8) return f.closeCode();
        }
    }

    private String line() throws IOException {
        return HttpLines.read(in);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
