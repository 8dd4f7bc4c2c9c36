package io.switchboard.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.auth.Identity;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.Hub;
import io.switchboard.core.message.Position;
import io.switchboard.core.message.Publication;
import io.switchboard.server.codec.Items;
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
    public static CompletionStage<ObjectNode> publish(Hub hub, Metrics metrics, ClientFrame frame, Identity identity) {
        String channel = frame.channel();
        String event = frame.event();
        JsonNode data = frame.data();
        JsonNode ref = frame.id();
        // Compact re-serialization: the item JSON embeds it raw, and SSE needs it on one line.
        return hub.publish(new Publication(channel, event, Json.bytes(data), null), identity).thenApply(message -> {
            metrics.published();
            return Replies.ack(ref, message.position());
        });
    }

    /** {@code history} → {@code {"type":"history","ref":…,"channel":…,"messages":[…],"cursor":…}}. */
    public static CompletionStage<ObjectNode> history(Hub hub, ClientFrame frame, Identity identity) {
        String channel = frame.channel();
        Position since = frame.since();
        Integer limit = frame.limit();
        hub.access().checkRead(identity, channel);
        JsonNode ref = frame.id();
        return hub.history(channel, since, limit).thenApply(h -> Replies.history(ref, channel, h));
    }

    /**
     * {@code presence} → {@code {"type":"presence","ref":…,"channel":…,"members":[{"user":…,"info":…}]}}:
     * only for channels that keep members (else 400), to clients that may read them (else 401/403).
     */
    public static CompletionStage<ObjectNode> presence(Hub hub, ClientFrame frame, Identity identity) {
        String channel = frame.channel();
        if (!hub.access().presence(channel)) {
            throw SwitchboardException.badRequest("bad_channel", "presence is not kept for " + channel);
        }
        hub.access().checkRead(identity, channel);
        JsonNode ref = frame.id();
        return hub.members(channel).thenApply(members -> {
            ObjectNode n = Replies.withRef(Items.type("presence"), ref);
            n.put("channel", channel);
            return Items.members(n, members);
        });
    }

    /** The token of an {@code auth} frame; a 400 when missing. It is never logged or echoed. */
    public static String authToken(ClientFrame frame) {
        String token = frame.string("token");
        if (token == null || token.isEmpty()) {
            throw SwitchboardException.badRequest("bad_field", "token is missing");
        }
        return token;
    }
}
