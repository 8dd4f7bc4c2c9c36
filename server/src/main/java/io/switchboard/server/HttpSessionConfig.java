package io.switchboard.server;

import java.time.Duration;

/**
 * Settings of the HTTP doors that outlive one request (polling, long-polling, JSONP, streams).
 *
 * @param idleTimeout how long a session with no request attached lives on (60 s); a client that polls
 *                    again within it keeps its session, its queue and its subscriptions
 * @param queueBytes  item bytes a session holds while no request is attached (1 MiB); past it the queue
 *                    is dropped and the next request replays from its cursor (or is told of a gap)
 * @param streamBytes bytes after which {@code /stream} and {@code /iframe} end their answer (1 MiB), so that
 *                    clients and proxies that keep the whole body do not grow without bound; the client
 *                    reconnects with its cursor
 */
public record HttpSessionConfig(Duration idleTimeout, int queueBytes, int streamBytes) {
    public static final HttpSessionConfig DEFAULT =
            new HttpSessionConfig(Duration.ofSeconds(60), 1024 * 1024, 1024 * 1024);

    public HttpSessionConfig {
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be > 0");
        }
        if (queueBytes <= 0) throw new IllegalArgumentException("queueBytes must be > 0");
        if (streamBytes <= 0) throw new IllegalArgumentException("streamBytes must be > 0");
    }

    public HttpSessionConfig withIdleTimeout(Duration v) {
        return new HttpSessionConfig(v, queueBytes, streamBytes);
    }

    public HttpSessionConfig withQueueBytes(int v) {
        return new HttpSessionConfig(idleTimeout, v, streamBytes);
    }

    public HttpSessionConfig withStreamBytes(int v) {
        return new HttpSessionConfig(idleTimeout, queueBytes, v);
    }
}
