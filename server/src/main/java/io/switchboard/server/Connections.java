package io.switchboard.server;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every open connection, so that a graceful stop can tell each one to go. A door that holds a
 * long-lived connection (WebSocket, stream) sets {@link #DRAIN} to say how its clients are told
 * (close 4503, a last {@code error} item, …); others are simply closed once idle.
 */
public final class Connections {
    /** Runs on the connection's loop when the server drains; must end with the channel closing. */
    public static final AttributeKey<Runnable> DRAIN = AttributeKey.valueOf("switchboard.drain");

    /**
     * The last handler of a long-lived connection can say how it drains by implementing this instead of
     * setting {@link #DRAIN}: no attribute (and lambda) per connection. Runs on the connection's loop; must
     * end with the channel closing.
     */
    public interface Drainable {
        void drain();
    }

    private final Set<Channel> open = ConcurrentHashMap.newKeySet();

    /** A new connection; {@link #remove} must be called when it closes (its guard does). */
    void add(Channel channel) {
        open.add(channel);
    }

    void remove(Channel channel) {
        open.remove(channel);
    }

    /** Visits every open connection (from any thread; the set may change meanwhile). */
    public void forEach(Consumer<Channel> visit) {
        open.forEach(visit);
    }

    public int size() {
        return open.size();
    }

    /** How many open connections each event loop owns: shows whether connections spread over the loops. */
    public Map<EventLoop, Integer> perLoop() {
        Map<EventLoop, Integer> counts = new IdentityHashMap<>();
        for (Channel ch : open) counts.merge(ch.eventLoop(), 1, Integer::sum);
        return counts;
    }

    /** Tells every connection to go: its drain action, or a close. */
    void drainAll() {
        for (Channel ch : open) {
            ch.eventLoop().execute(() -> {
                if (ch.pipeline().last() instanceof Drainable d) {
                    d.drain();
                    return;
                }
                Runnable drain = ch.hasAttr(DRAIN) ? ch.attr(DRAIN).get() : null;
                if (drain != null) drain.run();
                else ch.close();
            });
        }
    }

    /**
     * Closes every open connection at once, with no goodbye (no close frame, no last item), the way a
     * network failure or a crashed proxy would: for tests of how clients resume. Returns how many.
     */
    public int dropAll() {
        int n = 0;
        for (Channel ch : open) {
            ch.close();
            n++;
        }
        return n;
    }

    /** Closes whatever is still open. */
    void closeAll() {
        for (Channel ch : open) ch.close();
    }
}
