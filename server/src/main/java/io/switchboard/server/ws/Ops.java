package io.switchboard.server.ws;

import io.switchboard.server.protocol.ClientFrame;
import io.switchboard.server.protocol.Replies;
import io.switchboard.server.protocol.ChannelAccess;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.EventLoop;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.Hub;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.core.message.Publication;
import io.switchboard.server.codec.Json;
import io.switchboard.server.metrics.Metrics;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the ops of client frames for one session (PROTOCOL.md "WebSocket frames"). Runs on the
 * session's event loop; answers that the Hub completes elsewhere are brought back to it. A refusal is
 * thrown as a {@link SwitchboardException} (the session turns it into an error frame) or, when it comes
 * later, sent as one with the frame's {@code ref}.
 */
final class Ops {
    private static final Logger log = LoggerFactory.getLogger(Ops.class);

    private final Hub hub;
    private final Metrics metrics;
    private final WsSession session;
    private final Subscriptions subscriptions;
    private final EventLoop loop;

    Ops(Hub hub, Metrics metrics, WsSession session, Subscriptions subscriptions, EventLoop loop) {
        this.hub = hub;
        this.metrics = metrics;
        this.session = session;
        this.subscriptions = subscriptions;
        this.loop = loop;
    }

    void handle(ClientFrame frame) {
        JsonNode ref = frame.id();
        switch (frame.op()) {
            case SUBSCRIBE -> {
                String channel = frame.channel();
                Position since = frame.since();
                ChannelAccess.check(channel, session.tokenGiven());
                subscriptions.subscribe(channel, since, ref);
            }
            case UNSUBSCRIBE -> subscriptions.unsubscribe(frame.channel(), ref);
            case PUBLISH -> publish(frame, ref);
            case HISTORY -> history(frame, ref);
            case PRESENCE -> presence(frame);
            case AUTH -> {
                String token = frame.string("token");
                if (token == null || token.isEmpty()) {
                    throw SwitchboardException.badRequest("bad_field", "token is missing");
                }
                // Not verified until tokens land (issue #6): it grants nothing, and is never logged.
                session.tokenGiven(true);
                session.send(Replies.ack(ref));
            }
            case PING -> session.send(Replies.pong(ref));
        }
    }

    private void publish(ClientFrame frame, JsonNode ref) {
        String channel = frame.channel();
        String event = frame.event();
        JsonNode data = frame.data();
        ChannelAccess.check(channel, session.tokenGiven());
        // Compact re-serialization: the item JSON embeds it raw, and SSE needs it on one line.
        CompletionStage<Message> published = hub.publish(new Publication(channel, event, Json.bytes(data), null));
        whenDone(published, (message, error) -> {
            if (error != null) {
                session.sendError(refusal(error), ref);
            } else {
                metrics.published();
                session.send(Replies.ack(ref, message.position()));
            }
        });
    }

    private void history(ClientFrame frame, JsonNode ref) {
        String channel = frame.channel();
        Position since = frame.since();
        Integer limit = frame.limit();
        ChannelAccess.check(channel, session.tokenGiven());
        whenDone(hub.history(channel, since, limit), (history, error) -> {
            if (error != null) session.sendError(refusal(error), ref);
            else session.send(Replies.history(ref, channel, history));
        });
    }

    private void presence(ClientFrame frame) {
        String channel = frame.channel();
        if (!channel.startsWith("presence-")) {
            throw SwitchboardException.badRequest("bad_channel",
                    "presence is only kept for presence- channels, not " + channel);
        }
        // Presence channels need a verified token (issue #6), so this refuses for now.
        ChannelAccess.check(channel, session.tokenGiven());
        throw new SwitchboardException(403, "forbidden", "presence is not available yet");
    }

    /** Runs {@code then} on the session's loop once {@code stage} completes, unless the session is gone. */
    private <T> void whenDone(CompletionStage<T> stage, BiConsumer<? super T, Throwable> then) {
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
