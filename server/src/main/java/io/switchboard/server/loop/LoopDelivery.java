package io.switchboard.server.loop;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.switchboard.core.hub.DeliveryLoop;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.WireFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Netty event loop seen as the Hub's {@link DeliveryLoop}: the fan-out engine of DESIGN.md rules 1–3.
 *
 * <ul>
 *   <li>Every task the Hub hands this loop runs as a <em>batch</em>: connections written during it are
 *       flushed once when it ends.</li>
 *   <li>{@link #shared} turns a message's cached encoding into one direct buffer per batch; every
 *       subscriber on this loop writes a {@code retainedDuplicate()} of it.</li>
 *   <li>Writes made outside a batch (a reply to a client frame, a replay after subscribe) call
 *       {@link #flushSoon}, which schedules one flush task for all of them.</li>
 * </ul>
 *
 * <p>Confined to its event loop except {@link #execute} and {@link #inLoop}.
 */
public final class LoopDelivery implements DeliveryLoop {
    private static final Logger log = LoggerFactory.getLogger(LoopDelivery.class);
    private final EventLoop loop;
    private final ByteBufAllocator alloc;
    private final ArrayList<Channel> dirty = new ArrayList<>();
    /** How many of {@link #dirty} the running {@link #flushDirty} has flushed (0 when none runs). */
    private int flushed;
    private final Runnable flushTask = this::flushDirty;
    /** Work to run once the current batch's deliveries are done; see {@link #afterBatch}. */
    private final ArrayList<Runnable> afterBatch = new ArrayList<>();
    private boolean inBatch;
    private boolean flushScheduled;
    // Shared buffers of the current batch, one per message and format written; released when the batch
    // ends. A batch may carry many messages (the Hub coalesces them under load), so the arrays grow.
    private Message[] sharedMessages = new Message[WireFormat.SLOTS];
    private WireFormat[] sharedFormats = new WireFormat[WireFormat.SLOTS];
    private ByteBuf[] sharedBuffers = new ByteBuf[WireFormat.SLOTS];
    private int sharedCount;
    /** The slot found last: subscribers ask for a batch's messages in the same order, so the next is its neighbour. */
    private int sharedHint;
    // The batch's run buffer (see sharedRun): the run it holds, and every message written in runs, for the meter.
    private ByteBuf runBuffer;
    private Message runFirst;
    private int runCount;
    private WireFormat runFormat;
    private final ArrayList<Message> runMessages = new ArrayList<>();

    /** Told each batch's deliveries and each fan-out's publish→write time, once per batch, not per delivery. */
    private final DeliveryMeter meter;
    /** Deliveries counted in the current batch. */
    private int delivered;
    /** {@link System#nanoTime} when the current batch began. */
    private long batchStart;

    /** What a loop reports of its batches (the server's metrics). */
    public interface DeliveryMeter {
        DeliveryMeter NONE = new DeliveryMeter() {
            @Override
            public void publishToWrite(long nanos) {}

            @Override
            public void delivered(int n) {}
        };

        /** One fan-out of a message was written, {@code nanos} after the message arrived on this node. */
        void publishToWrite(long nanos);

        /** {@code n} messages were written to subscribers. */
        void delivered(int n);
    }

    public LoopDelivery(EventLoop loop, ByteBufAllocator alloc, DeliveryMeter meter) {
        this.loop = loop;
        this.alloc = alloc;
        this.meter = meter;
    }

    /** Counts one message written to one subscriber; reported once per batch. */
    public void delivered() {
        delivered(1);
    }

    /** Counts {@code n} messages written to one subscriber; reported once per batch. */
    public void delivered(int n) {
        if (inBatch) delivered += n;
        else meter.delivered(n);
    }

    /**
     * Now, for heartbeat bookkeeping: within a batch the time it began (one clock read for every write of
     * the batch), otherwise {@link System#nanoTime}.
     */
    public long now() {
        return inBatch ? batchStart : System.nanoTime();
    }

    public EventLoop eventLoop() {
        return loop;
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(() -> runBatch(task));
    }

    /**
     * A task scheduled with no delay is taken into the loop's task queue only when the loop next looks at its
     * timers, which is after it has polled its sockets: so {@code task} runs after this loop's pending I/O.
     */
    @Override
    public void executeAfterIo(Runnable task) {
        loop.schedule(() -> runBatch(task), 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean inLoop() {
        return loop.inEventLoop();
    }

    private void runBatch(Runnable task) {
        inBatch = true;
        batchStart = System.nanoTime();
        try {
            task.run();
            // Index loop: a task may add more (a session answering wakes another).
            for (int i = 0; i < afterBatch.size(); i++) {
                try {
                    afterBatch.get(i).run();
                } catch (RuntimeException e) {
                    // One session's failure must not cost the others queued here their answer.
                    log.warn("after-batch task failed", e);
                }
            }
        } finally {
            afterBatch.clear();
            inBatch = false;
            flushDirty();
            if (delivered > 0) {
                meter.delivered(delivered);
                delivered = 0;
            }
            releaseShared(); // after the flush: the latency it records includes the writes
        }
    }

    /**
     * Runs {@code task} once the deliveries of the current batch are done, still inside the batch, so it
     * can gather everything the batch brought (a parked long-poll answers with every message of the
     * batch, in one body) and its {@link #shared} buffers are the batch's. Outside a batch the task runs
     * as a batch of its own, after whatever this loop is doing now. Must be called on this loop.
     */
    public void afterBatch(Runnable task) {
        if (inBatch) afterBatch.add(task);
        else execute(task);
    }

    /**
     * The message in {@code format} as a buffer the caller now owns (it must write or release it). Within
     * a batch all callers share one underlying direct buffer; outside one, the caller gets its own.
     */
    public ByteBuf shared(Message message, WireFormat format) {
        if (!inBatch) {
            byte[] bytes = message.encoded(format);
            return alloc.directBuffer(bytes.length).writeBytes(bytes);
        }
        int n = sharedCount;
        for (int k = 0, i = sharedHint + 1; k < n; k++, i++) {
            if (i >= n) i = 0;
            if (sharedMessages[i] == message && sharedFormats[i] == format) {
                sharedHint = i;
                return sharedBuffers[i].retainedDuplicate();
            }
        }
        byte[] bytes = message.encoded(format);
        ByteBuf buf = alloc.directBuffer(bytes.length).writeBytes(bytes);
        if (n == sharedBuffers.length) {
            sharedMessages = Arrays.copyOf(sharedMessages, n * 2);
            sharedFormats = Arrays.copyOf(sharedFormats, n * 2);
            sharedBuffers = Arrays.copyOf(sharedBuffers, n * 2);
        }
        sharedMessages[n] = message;
        sharedFormats[n] = format;
        sharedBuffers[n] = buf; // this reference is released at batch end
        sharedCount = n + 1;
        sharedHint = n;
        return buf.retainedDuplicate();
    }

    /**
     * Messages {@code run[0..n)} in {@code format}, back to back in one buffer the caller now owns (it must
     * write or release it): one write for a subscriber that takes a pass's whole run. Within a batch every
     * subscriber of the same run shares one underlying direct buffer.
     */
    public ByteBuf sharedRun(Message[] run, int n, WireFormat format) {
        if (inBatch && runBuffer != null && runFirst == run[0] && runCount == n && runFormat == format) {
            return runBuffer.retainedDuplicate();
        }
        int bytes = 0;
        for (int i = 0; i < n; i++) bytes += run[i].encoded(format).length;
        ByteBuf buf = alloc.directBuffer(bytes);
        for (int i = 0; i < n; i++) buf.writeBytes(run[i].encoded(format));
        if (!inBatch) return buf;
        if (runBuffer != null) runBuffer.release(); // a batch's earlier run (another channel): its writers hold their own
        runBuffer = buf; // this reference is released at batch end
        runFirst = run[0];
        runCount = n;
        runFormat = format;
        for (int i = 0; i < n; i++) runMessages.add(run[i]);
        return buf.retainedDuplicate();
    }

    private void releaseShared() {
        long now = sharedCount > 0 || !runMessages.isEmpty() ? System.nanoTime() : 0;
        for (int i = 0; i < sharedCount; i++) {
            if (firstOf(i)) meter.publishToWrite(now - sharedMessages[i].madeNanos());
            sharedBuffers[i].release();
            sharedBuffers[i] = null;
        }
        for (int i = 0; i < runMessages.size(); i++) {
            Message m = runMessages.get(i);
            if (!inShared(m) && runMessages.indexOf(m) == i) meter.publishToWrite(now - m.madeNanos());
        }
        for (int i = 0; i < sharedCount; i++) {
            sharedMessages[i] = null;
            sharedFormats[i] = null;
        }
        sharedCount = 0;
        sharedHint = 0;
        runMessages.clear();
        if (runBuffer != null) {
            runBuffer.release();
            runBuffer = null;
            runFirst = null;
            runFormat = null;
        }
    }

    private boolean inShared(Message m) {
        for (int i = 0; i < sharedCount; i++) {
            if (sharedMessages[i] == m) return true;
        }
        return false;
    }

    /** Whether slot {@code i} is its message's first (a message written in two formats counts once). */
    private boolean firstOf(int i) {
        for (int j = 0; j < i; j++) {
            if (sharedMessages[j] == sharedMessages[i]) return false;
        }
        return true;
    }

    /**
     * Marks {@code channel} as written; it is flushed when the current batch ends, or by one scheduled
     * flush task when called outside a batch. Must be called on this loop.
     */
    public void flushSoon(Channel channel) {
        int n = dirty.size();
        // A burst to one connection (a replay, a pass of several messages) flushes once; but a connection
        // already flushed by the running flushDirty is marked again (see there).
        if (n > flushed && dirty.get(n - 1) == channel) return;
        dirty.add(channel);
        if (!inBatch && !flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    private void flushDirty() {
        flushScheduled = false;
        if (dirty.isEmpty()) return;
        // Size read each turn: a flush can drain a full socket, and what its writability event writes (held
        // latest-value messages) marks the connection again, after the part already flushed; it is flushed
        // by this same loop, not lost when the list is cleared.
        while (flushed < dirty.size()) {
            dirty.get(flushed++).flush(); // flushing twice is harmless
        }
        dirty.clear();
        flushed = 0;
    }
}
