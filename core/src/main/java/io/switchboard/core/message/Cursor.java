package io.switchboard.core.message;

import io.switchboard.core.error.SwitchboardException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The positions of a request's channels, in the order the channels were given: {@code q7Zc:42,q7Zc:17}.
 * A slot of {@code -} (held as {@code null}) means "from now".
 */
public final class Cursor {
    private final List<Position> positions;

    private Cursor(List<Position> positions) {
        this.positions = positions;
    }

    /** A cursor of {@code size} "from now" slots. */
    public static Cursor fromNow(int size) {
        return new Cursor(new ArrayList<>(Collections.nCopies(size, null)));
    }

    /**
     * Parses a cursor for {@code channels} channels. Null or empty text means "from now" for all.
     * A cursor whose slot count differs from the channel count, or with a malformed slot, is a 400.
     */
    public static Cursor parse(String text, int channels) {
        if (text == null || text.isEmpty()) return fromNow(channels);
        String[] parts = text.split(",", -1);
        if (parts.length != channels) {
            throw SwitchboardException.badRequest("bad_cursor",
                    "cursor has " + parts.length + " positions for " + channels + " channels");
        }
        List<Position> positions = new ArrayList<>(parts.length);
        for (String part : parts) {
            if (part.equals("-")) {
                positions.add(null);
            } else {
                try {
                    positions.add(Position.parse(part));
                } catch (SwitchboardException e) {
                    throw SwitchboardException.badRequest("bad_cursor",
                            "each cursor slot is EPOCH:OFFSET or -, comma-joined");
                }
            }
        }
        return new Cursor(positions);
    }

    public int size() {
        return positions.size();
    }

    /** The position of slot {@code i}, or null for "from now". */
    public Position get(int i) {
        return positions.get(i);
    }

    /** Updates slot {@code i}; cursors are owned by one request or stream and are not thread-safe. */
    public void set(int i, Position position) {
        positions.set(i, position);
    }

    /** An independent copy. */
    public Cursor copy() {
        return new Cursor(new ArrayList<>(positions));
    }

    /** Same positions in the same slots ("from now" equals only "from now"). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Cursor c && c.positions.equals(positions);
    }

    @Override
    public int hashCode() {
        return positions.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(positions.size() * 12);
        for (int i = 0; i < positions.size(); i++) {
            if (i > 0) sb.append(',');
            Position p = positions.get(i);
            sb.append(p == null ? "-" : p.toString());
        }
        return sb.toString();
    }
}
