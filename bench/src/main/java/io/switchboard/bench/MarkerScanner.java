package io.switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;

/**
 * Finds benchmark markers, {@code "bm":[P,S,I,T]}, in a byte stream, whatever framing surrounds them
 * (WebSocket text frames, SSE events, NDJSON lines, long-poll bodies, Socket.IO packets, Nchan's raw
 * bodies): every peer carries the publisher's JSON text unchanged, so one scanner serves every door.
 * The state survives buffer boundaries, so a marker split between two TCP reads is still found.
 * P is the publisher (-1 for warm-up), S its sequence number on the channel, I the intended send time and T
 * the actual send time ({@link System#nanoTime()} of this JVM).
 *
 * <p>Not thread-safe: one per connection, used on its event loop.
 */
public final class MarkerScanner implements ByteProcessor {
    private static final byte[] PREFIX = "\"bm\":[".getBytes(StandardCharsets.US_ASCII);
    private static final int FIELDS = 4;

    /** Receives every complete marker found. */
    public interface Sink {
        void marker(long publisher, long seq, long intendedNanos, long sentNanos);
    }

    private final Sink sink;
    private int matched; // bytes of PREFIX matched so far; PREFIX.length while reading numbers
    private final long[] fields = new long[FIELDS];
    private int field;
    private long value;
    private boolean negative;
    private boolean digits;
    /** Set by {@link #scanFirst}: stop at the end of the first marker found. */
    private boolean stopAtMarker;
    private boolean found;

    public MarkerScanner(Sink sink) {
        this.sink = sink;
    }

    /** Scans the readable bytes of {@code buf} without moving its reader index (the caller still owns it). */
    public void scan(ByteBuf buf) {
        buf.forEachByte(this);
    }

    /**
     * Like {@link #scan}, but stops after the first complete marker: for framings that carry one message
     * per frame (WebSocket), where the bytes after it (the padding) need not be read.
     */
    public void scanFirst(ByteBuf buf) {
        stopAtMarker = true;
        found = false;
        try {
            buf.forEachByte(this);
        } finally {
            stopAtMarker = false;
        }
    }

    @Override
    public boolean process(byte b) {
        accept(b);
        return !(found && stopAtMarker);
    }

    public void scan(byte[] bytes) {
        for (byte b : bytes) accept(b);
    }

    /** Forgets a partial marker: the caller knows a frame ended. */
    public void reset() {
        matched = 0;
    }

    private void accept(byte b) {
        if (matched < PREFIX.length) {
            if (b == PREFIX[matched]) {
                if (++matched == PREFIX.length) startNumbers();
            } else {
                matched = b == PREFIX[0] ? 1 : 0;
            }
            return;
        }
        if (b >= '0' && b <= '9') {
            value = value * 10 + (b - '0');
            digits = true;
        } else if (b == '-' && !digits && !negative) {
            negative = true;
        } else if ((b == ',' || b == ']') && digits) {
            fields[field++] = negative ? -value : value;
            value = 0;
            negative = false;
            digits = false;
            if (b == ']' || field == FIELDS) {
                if (b == ']' && field == FIELDS) {
                    sink.marker(fields[0], fields[1], fields[2], fields[3]);
                    found = true;
                }
                matched = 0;
            }
        } else if (b != ' ') {
            matched = b == PREFIX[0] ? 1 : 0; // not a marker after all
        }
    }

    private void startNumbers() {
        field = 0;
        value = 0;
        negative = false;
        digits = false;
    }

    /** The marker text for a payload: {@code "bm":[p,s,i,t]}. */
    public static String marker(long publisher, long seq, long intendedNanos, long sentNanos) {
        return "\"bm\":[" + publisher + ',' + seq + ',' + intendedNanos + ',' + sentNanos + ']';
    }
}
