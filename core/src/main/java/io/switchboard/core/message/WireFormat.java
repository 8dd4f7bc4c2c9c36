package io.switchboard.core.message;

import java.util.concurrent.atomic.LongAdder;

/**
 * One way of writing a message on the wire (an item as JSON, a pre-framed WebSocket frame, an SSE
 * event, …). {@link Message#encoded(WireFormat)} calls {@link #encode} at most once per message and
 * format and caches the bytes, so a message is serialized once per format however many subscribers
 * it has (DESIGN.md, rule 1).
 *
 * <p>Each format owns one slot of the message's cache; slots are fixed small integers chosen by the
 * module that defines the format (core uses slot 0).
 */
public abstract class WireFormat {
    /** How many formats a message can cache at once. */
    public static final int SLOTS = 8;

    private final int slot;
    private final String name;
    private final LongAdder encodings = new LongAdder();

    protected WireFormat(int slot, String name) {
        if (slot < 0 || slot >= SLOTS) throw new IllegalArgumentException("slot out of range: " + slot);
        this.slot = slot;
        this.name = name;
    }

    final int slot() {
        return slot;
    }

    public final String name() {
        return name;
    }

    /** How many times this format has serialized a message: one per message when caching works. */
    public final long encodings() {
        return encodings.sum();
    }

    final byte[] encodeCounted(Message message) {
        encodings.increment();
        return encode(message);
    }

    /** Serializes the message. Must be a pure function of the message. */
    protected abstract byte[] encode(Message message);

    @Override
    public String toString() {
        return name;
    }
}
