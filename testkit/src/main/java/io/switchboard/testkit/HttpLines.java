package io.switchboard.testkit;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Reads the lines of an HTTP head (status line, headers, chunk sizes) from a raw socket, byte by byte. */
public final class HttpLines {
    private HttpLines() {}

    /** The next line without its CR LF (a bare LF ends one too); fails when the connection ends first. */
    public static String read(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new EOFException("connection closed; read so far: " + sb);
            if (c != '\r') sb.append((char) c);
        }
        return sb.toString();
    }
}
