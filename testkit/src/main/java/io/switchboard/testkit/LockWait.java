package io.switchboard.testkit;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Waiting on a recorder's lock until what its reader thread recorded satisfies a check: the reader
 * {@code notifyAll}s the lock after each change. Shared by {@link SseRecorder} and {@link StreamRecorder}.
 */
final class LockWait {
    /** What to wait for: called holding the lock; null means "not yet". */
    interface Check<T> {
        T get();
    }

    private LockWait() {}

    /**
     * The first non-null result of {@code check} within {@code timeout}; else an AssertionError naming
     * {@code what} and what was recorded ({@code recorded}, read holding the lock).
     */
    static <T> T until(Object lock, Check<T> check, Duration timeout, String what, Supplier<String> recorded) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (true) {
                T result = check.get();
                if (result != null) return result;
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("waited " + timeout.toMillis() + " ms for " + what + "; got " + recorded.get());
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + what);
                }
            }
        }
    }
}
