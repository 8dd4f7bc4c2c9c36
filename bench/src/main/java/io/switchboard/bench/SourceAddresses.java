package io.switchboard.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Hands out loopback source addresses 127.0.0.2, 127.0.0.3, …, moving on after {@code perAddress}
 * connections and never going back within a run, so the TIME_WAIT left by one scenario never blocks
 * the next. Thread-safe.
 */
final class SourceAddresses {
    private final int perAddress;
    private long handed;

    SourceAddresses(int perAddress) {
        this.perAddress = perAddress;
    }

    synchronized InetAddress next() {
        long n = 2 + handed++ / perAddress; // 127.0.0.2 first
        try {
            return InetAddress.getByAddress(new byte[] {127, (byte) (n >> 16), (byte) (n >> 8), (byte) n});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the next scenario on a fresh address. */
    synchronized void skipToNextAddress() {
        if (handed % perAddress != 0) handed += perAddress - handed % perAddress;
    }
}
