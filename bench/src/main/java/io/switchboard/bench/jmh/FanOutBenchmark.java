package io.switchboard.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.switchboard.core.broker.HistoryPolicy;
import io.switchboard.core.broker.MemoryBroker;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.DeliveryLoop;
import io.switchboard.core.hub.Hub;
import io.switchboard.core.hub.HubConfig;
import io.switchboard.core.hub.SubscribeCallback;
import io.switchboard.core.hub.SubscribeRequest;
import io.switchboard.core.hub.Subscribed;
import io.switchboard.core.hub.Subscriber;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.core.message.Publication;
import io.switchboard.core.time.Clock;
import io.switchboard.server.codec.NativeFormats;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Hub's fan-out path without sockets: a publish through the in-memory broker to {@value #PER_OP}
 * subscribers on one channel, each taking the message's WebSocket frame the way a door does (cached
 * bytes, one shared direct buffer per batch, a {@code retainedDuplicate()} per subscriber, released as
 * the socket write would). The delivery loop runs tasks inline, so this is the CPU cost per delivery
 * that the event loops pay before any syscall.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FanOutBenchmark {
    /** Subscribers on the channel: every publish is this many deliveries. */
    static final int PER_OP = 1000;
    private final int subscribers = PER_OP;

    private Hub hub;
    private final byte[] data = "{\"bm\":[0,1,2,3],\"pad\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}"
            .getBytes(StandardCharsets.UTF_8);
    private long delivered;

    /** Runs every task at once on the caller's thread, like a loop that is never busy. */
    static final DeliveryLoop INLINE = new DeliveryLoop() {
        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public boolean inLoop() {
            return true;
        }
    };

    /** A subscriber that does what a WebSocket connection does with a message, minus the syscall. */
    final class Sink implements Subscriber {
        private Message last;
        private ByteBuf shared;

        @Override
        public DeliveryLoop loop() {
            return INLINE;
        }

        @Override
        public void onMessage(Message message) {
            if (message != last) { // LoopDelivery.shared: one direct buffer per message per loop
                if (shared != null) shared.release();
                byte[] frame = message.encoded(NativeFormats.WS_FRAME);
                shared = PooledByteBufAllocator.DEFAULT.directBuffer(frame.length).writeBytes(frame);
                last = message;
            }
            ByteBuf dup = shared.retainedDuplicate();
            delivered += dup.readableBytes();
            dup.release(); // what the socket write would do once written
        }

        @Override
        public void onGap(String channel, Position position) {}
    }

    @Setup(Level.Trial)
    public void setup() {
        hub = new Hub(new MemoryBroker(Clock.system(), c -> HistoryPolicy.DEFAULT), HubConfig.DEFAULT);
        Sink sink = new Sink(); // one shared-buffer holder, as one loop has
        for (int i = 0; i < subscribers; i++) {
            Subscriber s = new Subscriber() { // one per connection, all on one loop
                @Override
                public DeliveryLoop loop() {
                    return INLINE;
                }

                @Override
                public void onMessage(Message message) {
                    sink.onMessage(message);
                }

                @Override
                public void onGap(String channel, Position position) {}
            };
            hub.subscribe(s, List.of(new SubscribeRequest("fan", null)), new SubscribeCallback() {
                @Override
                public void onSubscribed(List<Subscribed> results) {}

                @Override
                public void onFailed(SwitchboardException error) {
                    throw error;
                }
            });
        }
        if (hub.subscribers("fan") != subscribers) throw new IllegalStateException("subscribe failed");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        hub.close();
    }

    /** One publish delivered to every subscriber; the score is per delivery. */
    @Benchmark
    @OperationsPerInvocation(PER_OP)
    public long publishToAll() {
        hub.publish(new Publication("fan", "message", data, null)).toCompletableFuture().join();
        return delivered;
    }
}
