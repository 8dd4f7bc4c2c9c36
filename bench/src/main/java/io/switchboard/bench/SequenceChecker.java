package io.switchboard.bench;

import java.util.HashSet;
import java.util.Set;

/**
 * Loss, duplicate and reorder accounting for one connection, from the publishers' sequence numbers:
 * each publisher numbers its messages to a channel 0, 1, 2, …, and a connection must see every number
 * of every publisher of its channel exactly once, in order.
 *
 * <ul>
 *   <li>a number above the next expected one opens a gap: the skipped numbers are remembered as missing;</li>
 *   <li>a number below it is <em>reordered</em> if it was missing (it arrived late), else a <em>duplicate</em>;</li>
 *   <li>{@link #lost(long[])} counts what is still missing once the publishers said how many they sent.</li>
 * </ul>
 * Not thread-safe: one per connection, used on its event loop (the final count after the loops are quiet).
 */
public final class SequenceChecker {
    /** Gaps wider than this are counted as lost at once instead of remembered one by one. */
    static final int MAX_REMEMBERED = 4096;

    private long[] next;            // per publisher: the next number expected
    private Set<Long>[] missing;    // per publisher: numbers skipped and not seen yet (null: none)
    private long received;
    private long duplicated;
    private long reordered;
    private long forgotten;         // skipped numbers beyond MAX_REMEMBERED: lost for sure

    public SequenceChecker(int publishers) {
        next = new long[publishers];
    }

    /** Records one delivery; returns false when it was a duplicate. */
    @SuppressWarnings("unchecked")
    public boolean accept(int publisher, long seq) {
        if (publisher >= next.length) grow(publisher + 1);
        long expected = next[publisher];
        if (seq == expected) {
            next[publisher] = seq + 1;
            received++;
            return true;
        }
        if (seq > expected) {
            if (missing == null) missing = new Set[next.length];
            Set<Long> gap = missing[publisher];
            if (gap == null) gap = missing[publisher] = new HashSet<>();
            for (long s = expected; s < seq; s++) {
                if (gap.size() < MAX_REMEMBERED) gap.add(s);
                else forgotten++;
            }
            next[publisher] = seq + 1;
            received++;
            return true;
        }
        if (missing != null && missing[publisher] != null && missing[publisher].remove(seq)) {
            reordered++;
            received++;
            return true;
        }
        duplicated++;
        return false;
    }

    @SuppressWarnings("unchecked")
    private void grow(int publishers) {
        next = java.util.Arrays.copyOf(next, publishers);
        if (missing != null) missing = java.util.Arrays.copyOf(missing, publishers);
    }

    /** Distinct messages received. */
    public long received() {
        return received;
    }

    public long duplicated() {
        return duplicated;
    }

    public long reordered() {
        return reordered;
    }

    /**
     * Messages never received, given how many each publisher sent to this connection's channel
     * ({@code sent[p]}; numbers 0 to sent[p] − 1).
     */
    public long lost(long[] sent) {
        long lost = forgotten;
        for (int p = 0; p < sent.length; p++) {
            long seen = p < next.length ? next[p] : 0;
            lost += Math.max(0, sent[p] - seen);
            if (missing != null && p < missing.length && missing[p] != null) lost += missing[p].size();
        }
        return lost;
    }

    /**
     * Of {@link #lost}, the messages after the last one received from each publisher: what a connection the
     * server closed never got because it was closed (a client resumes from its position after such a cut).
     */
    public long missingAtTheEnd(long[] sent) {
        long tail = 0;
        for (int p = 0; p < sent.length; p++) {
            long seen = p < next.length ? next[p] : 0;
            tail += Math.max(0, sent[p] - seen);
        }
        return tail;
    }
}
