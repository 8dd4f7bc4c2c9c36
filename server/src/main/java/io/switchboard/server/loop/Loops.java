package io.switchboard.server.loop;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/** The {@link LoopDelivery} of each event loop of the server's worker group, made once at start. */
public final class Loops {
    private final Map<EventExecutor, LoopDelivery> byLoop = new IdentityHashMap<>();

    /** @param publishToWrite told each fan-out's publish→write time in nanoseconds, from every loop */
    public Loops(EventLoopGroup group, ByteBufAllocator alloc, LongConsumer publishToWrite) {
        for (EventExecutor e : group) {
            byLoop.put(e, new LoopDelivery((EventLoop) e, alloc, publishToWrite));
        }
    }

    /** The delivery loop that owns connections of {@code loop}. */
    public LoopDelivery of(EventLoop loop) {
        LoopDelivery d = byLoop.get(loop);
        if (d == null) throw new IllegalArgumentException("not a worker loop: " + loop);
        return d;
    }

    public int size() {
        return byLoop.size();
    }
}
