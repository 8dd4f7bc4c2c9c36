package io.switchboard.server.ws;

/**
 * Why the server closed a WebSocket session: the close codes of PROTOCOL.md, with the reconnect advice a
 * client should follow.
 *
 * <p>All codes are in the 4000–4999 range RFC 6455 leaves to applications, and mirror HTTP statuses
 * ({@code 44xx} ≈ {@code 4xx}, {@code 4503} ≈ {@code 503}) so that one table of meanings serves every door.
 * A close the client starts is answered with its own code and is not one of these.
 */
public enum CloseCode {
    /** The client broke the protocol (a binary frame, a bad frame): reconnecting will only repeat it. */
    PROTOCOL_VIOLATION(4400, "protocol violation", false),
    /** The token on the upgrade URL is bad or expired: reconnect with a fresh one. */
    BAD_TOKEN(4401, "bad or expired token", true),
    /** The session may no longer be served: do not reconnect with the same credentials. */
    FORBIDDEN(4403, "forbidden", false),
    /** Nothing (not even a pong) arrived for two heartbeats: the link is presumed dead; reconnect. */
    HEARTBEAT_TIMEOUT(4408, "heartbeat timeout", true),
    /** The client read too slowly and its outbound queue hit the bound: reconnect and resume from its position. */
    TOO_SLOW(4409, "too slow", true),
    /** Disconnected through the server API: do not reconnect. */
    DISCONNECTED(4410, "disconnected by the server", false),
    /** A frame or message over the frame limit: reconnecting is fine, resending it is not. */
    TOO_LARGE(4413, "frame too large", true),
    /** Too many requests: reconnect after a back-off. */
    RATE_LIMITED(4429, "rate limited", true),
    /** The server is stopping: reconnect, maybe to another node. */
    GOING_AWAY(4503, "server going away", true);

    private final int code;
    private final String reason;
    private final boolean reconnect;

    CloseCode(int code, String reason, boolean reconnect) {
        this.code = code;
        this.reason = reason;
        this.reconnect = reconnect;
    }

    /** The WebSocket close status sent in the close frame. */
    public int code() {
        return code;
    }

    /** The default human reason, used when the close has no more specific one. */
    public String reason() {
        return reason;
    }

    /** Whether a client should reconnect (after a back-off) once closed with this code. */
    public boolean reconnect() {
        return reconnect;
    }

    /** The code for {@code status}, or null when it is not one of ours. */
    public static CloseCode of(int status) {
        for (CloseCode c : values()) {
            if (c.code == status) return c;
        }
        return null;
    }
}
