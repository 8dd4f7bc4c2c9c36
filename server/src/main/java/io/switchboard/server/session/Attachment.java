package io.switchboard.server.session;

import io.switchboard.core.error.SwitchboardException;

/**
 * A request an {@link HttpSession} writes to while it is attached: a parked poll, a stream. The
 * attachment knows framing; the session knows channels, positions and the queue. Every method is called
 * on the session's loop, which may differ from the loop of the attachment's connection.
 */
public interface Attachment {
    /**
     * The session took this request. Start watching the connection: when it closes before the request is
     * done, call {@link HttpSession#closed}.
     */
    void attached(HttpSession session);

    /**
     * The session is subscribed and may have items waiting ({@link HttpSession#take}). Called once after
     * attaching and again whenever items arrive, at most once per delivery batch.
     */
    void pump(HttpSession session);

    /**
     * The session refused this request (another request is attached) or could not subscribe. Answer with
     * the error; the session no longer holds this attachment.
     */
    void failed(HttpSession session, SwitchboardException error);

    /**
     * The hold this request asked for with {@link HttpSession#holdUntil} is over (checked a few times a
     * second, so up to one sweep period late). Nothing by default: only parked polls hold.
     */
    default void expired(HttpSession session) {}
}
