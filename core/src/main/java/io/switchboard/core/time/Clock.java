package io.switchboard.core.time;

/** Wall-clock milliseconds, injected so that history age, expiry and timeouts are testable without sleeps. */
@FunctionalInterface
public interface Clock {
    long millis();

    static Clock system() {
        return System::currentTimeMillis;
    }
}
