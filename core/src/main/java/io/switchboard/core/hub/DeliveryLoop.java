package io.switchboard.core.hub;

/**
 * A single thread that owns a set of subscribers (in the server: one Netty event loop). The Hub groups
 * a channel's subscribers by loop and hands each loop one task for the messages waiting for it (DESIGN.md,
 * rule 2: never one per subscriber); the loop runs it and may batch what the task wrote (rule 3: one flush
 * per task).
 *
 * <p>Implementations compare by identity: one instance per thread.
 */
public interface DeliveryLoop {
    /** Runs {@code task} on this loop, after the tasks already queued. Never blocks. */
    void execute(Runnable task);

    /**
     * Runs {@code task} on this loop after it has next served its connections' I/O: how a long piece of
     * work (a fan-out to thousands) yields, so the loop's other connections are read between its slices.
     * Implementations without I/O run it as {@link #execute} does.
     */
    default void executeAfterIo(Runnable task) {
        execute(task);
    }

    /** True when the calling thread is this loop. */
    boolean inLoop();
}
