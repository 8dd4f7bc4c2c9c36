package io.switchboard.core.error;

/**
 * A refusal the client is told about: an HTTP-style status, a short machine code and a human reason.
 *
 * <p>Every door maps it to its own form (HTTP status + {@code {"error","reason"}} body, a WebSocket
 * {@code error} frame, an SSE {@code sb:error} event). The reason is written for the client: it never
 * holds a stack trace or a credential.
 */
public final class SwitchboardException extends RuntimeException {
    private final int status;
    private final String code;

    public SwitchboardException(int status, String code, String reason) {
        super(reason, null, false, false);
        this.status = status;
        this.code = code;
    }

    /** HTTP-style status: 400, 401, 403, 404, 405, 413, 429, 503. */
    public int status() {
        return status;
    }

    /** Short snake_case code, e.g. {@code bad_channel}. */
    public String code() {
        return code;
    }

    public String reason() {
        return getMessage();
    }

    public static SwitchboardException badRequest(String code, String reason) {
        return new SwitchboardException(400, code, reason);
    }

    public static SwitchboardException tooLarge(String reason) {
        return new SwitchboardException(413, "too_large", reason);
    }

    public static SwitchboardException unavailable(String reason) {
        return new SwitchboardException(503, "unavailable", reason);
    }
}
