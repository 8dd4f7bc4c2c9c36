package io.switchboard.core.hub;

/**
 * A single thread that owns a set of subscribers (in the server: one Netty event loop). The Hub groups
 * a channel's subscribers by loop and hands each loop one task per message (DESIGN.md, rule 2); the
 * loop runs it and may batch what the task wrote (rule 3: one flush per task).
 *
 * <p>Implementations compare by identity: one instance per thread.
 */
public interface DeliveryLoop {
    /** Runs {@code task} on this loop, after the tasks already queued. Never blocks. */
    void execute(Runnable task);

    /** True when the calling thread is this loop. */
    boolean inLoop();
}
