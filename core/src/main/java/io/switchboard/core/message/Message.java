package io.switchboard.core.message;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A published message: immutable once the Broker has given it its position.
 *
 * <p>Holds a small cache of its encodings, one per {@link WireFormat}. Each format encodes a message
 * exactly once, even when several loops ask for it at the same moment: the first caller encodes while
 * the others wait for its bytes (they would need the same work done anyway), so the encoding count is a
 * true count of serializations (DESIGN.md, rule 1).
 */
public final class Message {
    private final String channel;
    private final String event;
    private final byte[] data;
    private final String epoch;
    private final long offset;
    private final long timestamp;
    private final String from;
    private final AtomicReferenceArray<byte[]> encodings = new AtomicReferenceArray<>(WireFormat.SLOTS);
    /** {@link System#nanoTime} when this node made the message (published here, or arrived from the broker). */
    private final long madeNanos = System.nanoTime();
    /** Made once: every subscriber's delivery records it as its last position. */
    private final Position position;

    public Message(String channel, String event, byte[] data, String epoch, long offset, long timestamp,
                   String from) {
        this.channel = Objects.requireNonNull(channel);
        this.event = Objects.requireNonNull(event);
        this.data = Objects.requireNonNull(data);
        this.epoch = Objects.requireNonNull(epoch);
        this.offset = offset;
        this.position = new Position(epoch, offset);
        this.timestamp = timestamp;
        this.from = from;
    }

    /** Gives a publication its place in the channel. */
    public static Message of(Publication p, String epoch, long offset, long timestamp) {
        return new Message(p.channel(), p.event(), p.data(), epoch, offset, timestamp, p.from());
    }

    public String channel() {
        return channel;
    }

    public String event() {
        return event;
    }

    /** The data as UTF-8 JSON text. The array is shared: callers must not change it. */
    public byte[] data() {
        return data;
    }

    public String epoch() {
        return epoch;
    }

    public long offset() {
        return offset;
    }

    public Position position() {
        return position;
    }

    /** Milliseconds since the Unix epoch, set by the Broker when it accepted the message. */
    public long timestamp() {
        return timestamp;
    }

    /** The publisher's identity, or null. */
    /**
     * {@link System#nanoTime} when this node made the message: at publish on this node, or on arrival from
     * the broker on the others. For the publish→write latency each node measures.
     */
    public long madeNanos() {
        return madeNanos;
    }

    public String from() {
        return from;
    }

    /** The message in {@code format}, serialized on first use and shared afterwards. Do not modify. */
    public byte[] encoded(WireFormat format) {
        int slot = format.slot();
        byte[] bytes = encodings.get(slot);
        if (bytes != null) return bytes;
        // Slow path, once per format: the lock is the private cache array, never contended once filled.
        synchronized (encodings) {
            bytes = encodings.get(slot);
            if (bytes == null) {
                bytes = format.encodeCounted(this);
                encodings.set(slot, bytes);
            }
            return bytes;
        }
    }

    @Override
    public String toString() {
        return "Message[" + channel + " " + epoch + ":" + offset + " " + event + "]";
    }
}
