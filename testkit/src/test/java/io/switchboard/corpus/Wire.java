package io.switchboard.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testkit.HttpLines;
import io.switchboard.testkit.WsFrame;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * One raw TCP connection to the server, for bytes no well-behaved client sends: malformed HTTP, trickled
 * requests, hand-made WebSocket frames. Reads answers with a Content-Length, chunked answers (their first
 * chunk) and WebSocket frames. Every read times out after 5 s, so a silent server fails the case.
 */
final class Wire implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An HTTP answer: status, lower-case header names, and the body (the first chunk of a chunked one). */
    record Answer(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String error() {
            return json().path("error").asText();
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private Wire(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static Wire open(int port) throws IOException {
        return new Wire(new Socket("127.0.0.1", port));
    }

    Wire send(String latin1) throws IOException {
        return send(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    Wire send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Sends {@code bytes} a few at a time, spread over {@code total}: a slowloris-style client. */
    Wire trickle(byte[] bytes, Duration total) throws IOException {
        int pieces = Math.min(bytes.length, 40);
        long pause = total.toNanos() / pieces;
        for (int i = 0; i < pieces; i++) {
            int from = bytes.length * i / pieces;
            int to = bytes.length * (i + 1) / pieces;
            out.write(bytes, from, to - from);
            out.flush();
            LockSupport.parkNanos(pause); // pacing the client, not waiting for the server
        }
        return this;
    }

    /** Reads one HTTP answer. */
    Answer answer() throws IOException {
        String statusLine = line();
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new AssertionError("not an HTTP answer: " + statusLine);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new TreeMap<>();
        for (String l = line(); !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.merge(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        byte[] body = new byte[0];
        if (headers.containsKey("content-length")) {
            body = new byte[Integer.parseInt(headers.get("content-length"))];
            in.readFully(body);
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = new byte[Integer.parseInt(line().trim(), 16)];
            in.readFully(body);
            line();
        }
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** Whether the server closed the connection: the next read sees the end (or a reset) within 5 s. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    // ---- WebSocket ----

    /** A well-formed upgrade request for {@code path}, plus {@code extraHeaders} (CRLF-terminated lines). */
    static String upgradeRequest(String path, String extraHeaders) {
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    }

    /** Upgrades on {@code /ws} and reads the welcome; fails unless both happen. */
    Wire upgrade() throws IOException {
        send(upgradeRequest("/ws", ""));
        Answer a = answer();
        if (a.status() != 101) throw new AssertionError("upgrade refused: " + a);
        WsFrame welcome = readFrame();
        if (!welcome.text().contains("\"welcome\"")) throw new AssertionError("first frame: " + welcome.text());
        return this;
    }

    /** Sends a masked frame; {@code first} is the FIN/RSV/opcode byte. */
    Wire frame(int first, byte[] payload) throws IOException {
        return send(frameBytes(first, payload, true));
    }

    Wire text(String text) throws IOException {
        return frame(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes of one frame, masked or not, with the shortest length encoding. */
    static byte[] frameBytes(int first, byte[] payload, boolean masked) {
        return WsFrame.bytes(first, payload, masked);
    }

    WsFrame readFrame() throws IOException {
        return WsFrame.read(in);
    }

    /** Reads frames until the close frame; returns its code. */
    int awaitClose() throws IOException {
        while (true) {
            WsFrame f = readFrame();
            if (f.opcode() == 8) return f.closeCode();
        }
    }

    /** Reads frames until a text frame containing {@code marker}; returns its text. */
    String awaitText(String marker) throws IOException {
        while (true) {
            WsFrame f = readFrame();
            if (f.opcode() == 8) throw new AssertionError("closed with " + f.closeCode() + " before " + marker);
            if (f.opcode() == 1 && f.text().contains(marker)) return f.text();
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
