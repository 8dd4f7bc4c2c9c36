package io.switchboard.server.ws;

/**
 * A WebSocket session's heartbeat rule (PROTOCOL.md): after {@code interval} without a write the session
 * sends a ping; after twice {@code interval} without anything read (a frame, a pong) it is closed with
 * {@code 4408}. The session keeps the two times; {@link io.switchboard.server.limit.Heartbeats} asks
 * this rule a few times per interval, so an idle session costs no timer of its own.
 */
final class Heartbeat {
    /** What is due: nothing, a ping, or the timeout. */
    enum Due { NOTHING, PING, TIMED_OUT }

    private Heartbeat() {}

    /**
     * What is due at {@code now} (all in nanoseconds of one monotonic clock); never the timeout unless
     * {@code mayGiveUp} (false right after the sweep was starved: a ping is sent instead, when one is due).
     */
    static Due due(long now, long lastRead, long lastWrite, long interval, boolean mayGiveUp) {
        if (mayGiveUp && now - lastRead >= 2 * interval) return Due.TIMED_OUT;
        if (now - lastWrite >= interval) return Due.PING;
        return Due.NOTHING;
    }
}
