package io.switchboard.core.hub;

import io.switchboard.core.auth.Namespace;
import java.time.Duration;
import java.util.List;

/**
 * Limits the Hub enforces, with the defaults of PROTOCOL.md.
 *
 * @param maxDataBytes        a message's data, encoded (64 KiB)
 * @param maxSubscriptions    channels per session or request (100)
 * @param defaultHistoryLimit messages per history read when no limit is given (100)
 * @param maxHistoryLimit     the largest limit a history read may ask for (1000)
 * @param recoveryBuffer      live messages held per subscription while its replay is read (10,000);
 *                            past it the subscription gets a gap instead of growing
 * @param namespaces          per-pattern settings (history, presence, client publishing, limits); none by default
 * @param presenceGrace       how long a user whose last connection left stays a member (3 s: a page reload
 *                            does not make it leave and join again)
 */
public record HubConfig(int maxDataBytes, int maxSubscriptions, int defaultHistoryLimit, int maxHistoryLimit,
                        int recoveryBuffer, List<Namespace> namespaces, Duration presenceGrace) {
    public static final HubConfig DEFAULT = new HubConfig(64 * 1024, 100, 100, 1000, 10_000, List.of(),
            Duration.ofSeconds(3));

    /** The limits with no namespaces. */
    public HubConfig(int maxDataBytes, int maxSubscriptions, int defaultHistoryLimit, int maxHistoryLimit,
                     int recoveryBuffer) {
        this(maxDataBytes, maxSubscriptions, defaultHistoryLimit, maxHistoryLimit, recoveryBuffer, List.of(),
                DEFAULT.presenceGrace());
    }

    public HubConfig {
        if (maxDataBytes <= 0) throw new IllegalArgumentException("maxDataBytes must be > 0");
        if (maxSubscriptions <= 0) throw new IllegalArgumentException("maxSubscriptions must be > 0");
        if (defaultHistoryLimit <= 0 || defaultHistoryLimit > maxHistoryLimit) {
            throw new IllegalArgumentException("need 0 < defaultHistoryLimit <= maxHistoryLimit");
        }
        if (recoveryBuffer <= 0) throw new IllegalArgumentException("recoveryBuffer must be > 0");
        namespaces = List.copyOf(namespaces);
        if (presenceGrace == null || presenceGrace.isNegative()) throw new IllegalArgumentException("presenceGrace must be ≥ 0");
    }

    public HubConfig withMaxDataBytes(int bytes) {
        return new HubConfig(bytes, maxSubscriptions, defaultHistoryLimit, maxHistoryLimit, recoveryBuffer, namespaces, presenceGrace);
    }

    public HubConfig withMaxSubscriptions(int n) {
        return new HubConfig(maxDataBytes, n, defaultHistoryLimit, maxHistoryLimit, recoveryBuffer, namespaces, presenceGrace);
    }

    public HubConfig withNamespaces(List<Namespace> v) {
        return new HubConfig(maxDataBytes, maxSubscriptions, defaultHistoryLimit, maxHistoryLimit, recoveryBuffer, v, presenceGrace);
    }

    public HubConfig withPresenceGrace(Duration v) {
        return new HubConfig(maxDataBytes, maxSubscriptions, defaultHistoryLimit, maxHistoryLimit, recoveryBuffer, namespaces, v);
    }
}
