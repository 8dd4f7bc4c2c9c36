package io.switchboard.core.message;

import io.switchboard.core.error.SwitchboardException;

/**
 * Where a reader stands in a channel: "I have everything up to {@code offset} in {@code epoch}".
 * An empty channel is at {@code EPOCH:0}. Written on the wire as {@code EPOCH:OFFSET}.
 */
public record Position(String epoch, long offset) {
    public static final int MAX_EPOCH_LENGTH = 16;

    public Position {
        if (!isValidEpoch(epoch)) throw new IllegalArgumentException("bad epoch: " + epoch);
        if (offset < 0) throw new IllegalArgumentException("negative offset: " + offset);
    }

    public static boolean isValidEpoch(String epoch) {
        if (epoch == null || epoch.isEmpty() || epoch.length() > MAX_EPOCH_LENGTH) return false;
        for (int i = 0; i < epoch.length(); i++) {
            char c = epoch.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-';
            if (!ok) return false;
        }
        return true;
    }

    /** Parses {@code EPOCH:OFFSET}; anything malformed is a 400 {@code bad_position}. */
    public static Position parse(String text) {
        int colon = text == null ? -1 : text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw bad(text);
        }
        String epoch = text.substring(0, colon);
        String digits = text.substring(colon + 1);
        if (!isValidEpoch(epoch) || digits.length() > 18) throw bad(text);
        long offset = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') throw bad(text);
            offset = offset * 10 + (c - '0');
        }
        return new Position(epoch, offset);
    }

    private static SwitchboardException bad(String text) {
        return SwitchboardException.badRequest("bad_position", "a position is EPOCH:OFFSET, e.g. q7Zc:42");
    }

    public Position next() {
        return new Position(epoch, offset + 1);
    }

    @Override
    public String toString() {
        return epoch + ':' + offset;
    }
}
