package io.switchboard.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.EventLoop;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.Hub;
import io.switchboard.core.message.Position;
import io.switchboard.server.metrics.Metrics;
import io.switchboard.server.protocol.ClientFrame;
import io.switchboard.server.protocol.ClientOps;
import io.switchboard.server.protocol.Replies;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the ops of client frames (PROTOCOL.md "WebSocket frames"), for any session: no object per
 * session. Runs on the session's event loop; answers that the Hub completes elsewhere are brought back to it. A refusal is
 * thrown as a {@link SwitchboardException} (the session turns it into an error frame) or, when it comes
 * later, sent as one with the frame's {@code ref}.
 */
final class Ops {
    private static final Logger log = LoggerFactory.getLogger(Ops.class);

    private Ops() {}

    /** Carries out {@code frame} of {@code session}, on the session's loop. */
    static void handle(WsSession session, ClientFrame frame) {
        Subscriptions subscriptions = session.subscriptions();
        Hub hub = session.hub();
        Metrics metrics = session.context().metrics();
        JsonNode ref = frame.id();
        switch (frame.op()) {
            case SUBSCRIBE -> {
                String channel = frame.channel();
                Position since = frame.since();
                hub.access().checkRead(session.identity(), channel);
                subscriptions.subscribe(channel, since, ref);
            }
            case UNSUBSCRIBE -> subscriptions.unsubscribe(frame.channel(), ref);
            case PUBLISH -> answer(session, ClientOps.publish(hub, metrics, frame, session.identity()), ref);
            case HISTORY -> answer(session, ClientOps.history(hub, frame, session.identity()), ref);
            case PRESENCE -> answer(session, ClientOps.presence(hub, frame, session.identity()), ref);
            case AUTH -> {
                session.refresh(ClientOps.authToken(frame));
                session.send(Replies.ack(ref));
            }
            case PING -> session.send(Replies.pong(ref));
        }
    }

    /** Sends the reply the stage completes with, or its refusal as an error frame answering {@code ref}. */
    private static void answer(WsSession session, CompletionStage<ObjectNode> reply, JsonNode ref) {
        whenDone(session, reply, (item, error) -> {
            if (error != null) session.sendError(refusal(error), ref);
            else session.send(item);
        });
    }

    /** Runs {@code then} on the session's loop once {@code stage} completes, unless the session is gone. */
    private static <T> void whenDone(WsSession session, CompletionStage<T> stage, BiConsumer<? super T, Throwable> then) {
        EventLoop loop = session.eventLoop();
        stage.whenComplete((value, error) -> {
            if (loop.inEventLoop()) {
                if (session.open()) then.accept(value, error);
            } else {
                loop.execute(() -> {
                    if (session.open()) then.accept(value, error);
                });
            }
        });
    }

    private static SwitchboardException refusal(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof SwitchboardException e) return e;
        log.warn("a WebSocket op failed: {}", cause.toString());
        return new SwitchboardException(500, "internal", "the server failed to answer this frame");
    }
}
