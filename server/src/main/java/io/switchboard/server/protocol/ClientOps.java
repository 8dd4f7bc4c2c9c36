package io.switchboard.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.Hub;
import io.switchboard.core.message.Position;
import io.switchboard.core.message.Publication;
import io.switchboard.server.codec.Json;
import io.switchboard.server.metrics.Metrics;
import java.util.concurrent.CompletionStage;

/**
 * The client ops that mean the same on every transport — publish, history, presence, auth — carried out
 * on the Hub, for the WebSocket door and {@code POST /send}. Each checks its frame's fields and the
 * client's access first and throws those refusals at once (a 400/401/403/413 {@link SwitchboardException});
 * what the Hub answers later comes as the returned stage, completed on whatever thread the Broker uses,
 * with the reply item (echoing the frame's {@code id} as {@code ref}) or failed with the refusal.
 */
public final class ClientOps {
    private ClientOps() {}

    /**
     * {@code publish} → {@code {"type":"ack","ref":…,"epoch":…,"offset":…}}; the publish is counted once
     * the Broker has given it its position.
     */
    public static CompletionStage<ObjectNode> publish(Hub hub, Metrics metrics, ClientFrame frame, boolean tokenGiven) {
        String channel = frame.channel();
        String event = frame.event();
        JsonNode data = frame.data();
        ChannelAccess.check(channel, tokenGiven);
        JsonNode ref = frame.id();
        // Compact re-serialization: the item JSON embeds it raw, and SSE needs it on one line.
        return hub.publish(new Publication(channel, event, Json.bytes(data), null)).thenApply(message -> {
            metrics.published();
            return Replies.ack(ref, message.position());
        });
    }

    /** {@code history} → {@code {"type":"history","ref":…,"channel":…,"messages":[…],"cursor":…}}. */
    public static CompletionStage<ObjectNode> history(Hub hub, ClientFrame frame, boolean tokenGiven) {
        String channel = frame.channel();
        Position since = frame.since();
        Integer limit = frame.limit();
        ChannelAccess.check(channel, tokenGiven);
        JsonNode ref = frame.id();
        return hub.history(channel, since, limit).thenApply(h -> Replies.history(ref, channel, h));
    }

    /**
     * {@code presence}: only {@code presence-} channels keep members (else 400), and those need a verified
     * token (issue #6), so for now this always throws — 401/403 from {@link ChannelAccess}, else 403.
     */
    public static void presence(ClientFrame frame, boolean tokenGiven) {
        String channel = frame.channel();
        if (!channel.startsWith("presence-")) {
            throw SwitchboardException.badRequest("bad_channel",
                    "presence is only kept for presence- channels, not " + channel);
        }
        ChannelAccess.check(channel, tokenGiven);
        throw new SwitchboardException(403, "forbidden", "presence is not available yet");
    }

    /**
     * {@code auth} → {@code {"type":"ack","ref":…}} when it carries a token. The token is not verified
     * until tokens land (issue #6): it grants nothing, and is never logged or echoed.
     */
    public static ObjectNode auth(ClientFrame frame) {
        String token = frame.string("token");
        if (token == null || token.isEmpty()) {
            throw SwitchboardException.badRequest("bad_field", "token is missing");
        }
        return Replies.ack(frame.id());
    }
}
