package io.switchboard.core.hub;

import io.switchboard.core.message.Message;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The fan-out of one {@link DeliveryLoop}: the messages of every channel with subscribers on that loop
 * pass through one inbox, in the order the broker delivered them, and go out as <em>passes</em>.
 *
 * <ul>
 *   <li><b>A pass</b> is one channel's run of consecutive messages in the inbox, written to each of the
 *       channel's subscriptions on this loop back to back, so each connection costs one flush (one
 *       {@code send}) for all of them. At low rates a pass carries one message; when messages arrive
 *       faster than the loop writes them, passes carry more by themselves, and fan-out keeps up instead of
 *       falling behind by one system call per message per connection.</li>
 *   <li><b>Order.</b> A pass never takes a message past one of another channel, so a connection subscribed
 *       to several channels gets them in the order this node received them, as with one task per message.</li>
 *   <li><b>Slices.</b> A task writes to at most {@link #SLICE} subscriptions (over one pass or several
 *       small ones), then the loop serves its connections' I/O ({@link DeliveryLoop#executeAfterIo}) before
 *       the next: a publisher or client whose connection shares the loop is read within a slice, not after
 *       a fan-out to thousands.</li>
 * </ul>
 *
 * <p>{@link #post} is called from any thread; everything else runs on the loop.
 */
final class LoopFanOut {
    /** Subscriptions written per loop task; each task is flushed when it ends (DESIGN.md rule 3). */
    static final int SLICE = 256;

    private record Posted(LoopGroup group, Message message) {}

    private final DeliveryLoop loop;
    private final int bufferLimit;
    private final ConcurrentLinkedQueue<Posted> inbox = new ConcurrentLinkedQueue<>();
    /** A task is queued or running that will look at the inbox again before it stops. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable runNow = this::run;

    // The pass being written (loop-confined): its channel's group, messages, next index and end.
    private LoopGroup group;
    private Message[] messages = new Message[8];
    private int count;
    private int next;
    private int end;

    LoopFanOut(DeliveryLoop loop, int bufferLimit) {
        this.loop = loop;
        this.bufferLimit = bufferLimit;
    }

    /** Any thread: {@code message} for {@code group}'s subscriptions (a group of this loop). */
    void post(LoopGroup group, Message message) {
        inbox.add(new Posted(group, message));
        if (scheduled.compareAndSet(false, true)) loop.execute(runNow);
    }

    /** On the loop: one slice of work; schedules the next after the loop's I/O while work is left. */
    private void run() {
        int budget = SLICE;
        while (budget > 0 && (group != null || startPass())) {
            int to = Math.min(end, next + budget);
            group.deliver(messages, count, next, to, bufferLimit);
            budget -= Math.max(1, to - next); // a pass to nobody still costs a step
            next = to;
            if (next == end) endPass();
        }
        if (group != null || !inbox.isEmpty()) {
            loop.executeAfterIo(runNow);
            return;
        }
        scheduled.set(false);
        // A message posted between the emptiness check and the line above found the flag set: run for it.
        if (!inbox.isEmpty() && scheduled.compareAndSet(false, true)) loop.executeAfterIo(runNow);
    }

    /** Takes the inbox's first channel's run of messages as the next pass; false when the inbox is empty. */
    private boolean startPass() {
        Posted first = inbox.poll();
        if (first == null) return false;
        LoopGroup g = first.group;
        int n = 0;
        messages[n++] = first.message;
        for (Posted p; (p = inbox.peek()) != null && p.group == g; ) {
            inbox.poll(); // only this loop takes from the inbox: the head is still p
            if (n == messages.length) messages = Arrays.copyOf(messages, n * 2);
            messages[n++] = p.message;
        }
        group = g;
        count = n;
        next = 0;
        end = g.beginPass();
        return true;
    }

    private void endPass() {
        group.endPass();
        Arrays.fill(messages, 0, count, null);
        group = null;
        count = 0;
    }
}
