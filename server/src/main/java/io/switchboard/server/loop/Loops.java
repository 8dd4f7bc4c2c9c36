package io.switchboard.server.loop;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.IdentityHashMap;
import java.util.Map;

/** The {@link LoopDelivery} of each event loop of the server's worker group, made once at start. */
public final class Loops {
    private final Map<EventExecutor, LoopDelivery> byLoop = new IdentityHashMap<>();

    /** @param meter told, from every loop, each batch's deliveries and each fan-out's publish→write time */
    public Loops(EventLoopGroup group, ByteBufAllocator alloc, LoopDelivery.DeliveryMeter meter) {
        for (EventExecutor e : group) {
            byLoop.put(e, new LoopDelivery((EventLoop) e, alloc, meter));
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
