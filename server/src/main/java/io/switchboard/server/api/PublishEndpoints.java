package io.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.Hub;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Publication;
import io.switchboard.server.codec.Json;
import io.switchboard.server.http.JsonAnswer;
import io.switchboard.server.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/publish} and {@code POST /api/batch}. Publishes are handed to the Hub on the event
 * loop in request order (so the Broker gives a batch's messages to one channel in that order) and
 * answered when the Broker has given every one its position; nothing here waits on a thread.
 */
final class PublishEndpoints {
    private static final Logger log = LoggerFactory.getLogger(PublishEndpoints.class);
    /** Items per batch: a 1 MiB body could otherwise hold tens of thousands of tiny publishes. */
    static final int MAX_BATCH = 1000;

    private final Hub hub;
    private final Metrics metrics;

    PublishEndpoints(Hub hub, Metrics metrics) {
        this.hub = hub;
        this.metrics = metrics;
    }

    /** {@code {"channel","epoch","offset"}}, or {@code {"results":[…]}} for a multi-channel publish. */
    void publish(JsonAnswer answer, JsonNode body) {
        PublishRequest request = PublishRequest.parse(body, hub.config());
        answer.when(publish(request), result -> answer.ok(Json.bytes(result)));
    }

    /**
     * {@code {"results":[…]}}: one result per item in order, a position (or a multi-channel publish's
     * results) or that item's own {@code {"error","reason"}}. A bad item stops nothing else.
     */
    void batch(JsonAnswer answer, JsonNode body) {
        if (!body.isArray()) {
            throw SwitchboardException.badRequest("bad_json", "a batch is a JSON array of publish objects");
        }
        if (body.isEmpty() || body.size() > MAX_BATCH) {
            throw SwitchboardException.badRequest("bad_field",
                    "a batch holds 1 to " + MAX_BATCH + " publish objects; got " + body.size());
        }
        List<CompletableFuture<ObjectNode>> items = new ArrayList<>(body.size());
        for (JsonNode item : body) {
            CompletionStage<ObjectNode> result;
            try {
                result = publish(PublishRequest.parse(item, hub.config()));
            } catch (SwitchboardException e) {
                result = CompletableFuture.failedFuture(e);
            }
            items.add(result.handle((ok, error) -> error == null ? ok : refused(error)).toCompletableFuture());
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(items.toArray(CompletableFuture[]::new));
        answer.when(all, done -> {
            ObjectNode out = Json.object();
            ArrayNode results = out.putArray("results");
            for (CompletableFuture<ObjectNode> item : items) results.add(item.getNow(null)); // all done: never waits
            answer.ok(Json.bytes(out));
        });
    }

    /**
     * Publishes to every channel of {@code request}. One channel: completes with its position or fails.
     * Several: completes with {@code {"results":[…]}}, where a channel the Broker refused holds its error;
     * fails only when every channel failed, since then nothing was published.
     */
    private CompletionStage<ObjectNode> publish(PublishRequest request) {
        List<Publication> publications = request.publications();
        if (!request.multi()) return publishOne(publications.get(0));
        List<CompletableFuture<ObjectNode>> each = new ArrayList<>(publications.size());
        for (Publication p : publications) each.add(publishOne(p).toCompletableFuture());
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).handle((ok, anyError) -> {
            if (anyError == null) {
                ObjectNode out = Json.object();
                ArrayNode results = out.putArray("results");
                for (CompletableFuture<ObjectNode> f : each) results.add(f.getNow(null)); // all done: never waits
                return out;
            }
            List<Throwable> errors = new ArrayList<>(each.size());
            for (CompletableFuture<ObjectNode> f : each) errors.add(f.handle((v, e) -> e).getNow(null));
            // Nothing published: the whole request failed, and is answered (and counted) as such.
            if (!errors.contains(null)) throw new CompletionException(errors.get(0));
            ObjectNode out = Json.object();
            ArrayNode results = out.putArray("results");
            for (int i = 0; i < each.size(); i++) {
                if (errors.get(i) == null) {
                    results.add(each.get(i).getNow(null));
                } else {
                    ObjectNode entry = refused(errors.get(i));
                    entry.put("channel", publications.get(i).channel());
                    results.add(entry);
                }
            }
            return out;
        });
    }

    private CompletionStage<ObjectNode> publishOne(Publication p) {
        CompletionStage<Message> stage;
        try {
            stage = hub.publish(p);
        } catch (SwitchboardException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.thenApply(m -> {
            metrics.published();
            return position(m);
        });
    }

    static ObjectNode position(Message m) {
        ObjectNode n = Json.object();
        n.put("channel", m.channel());
        n.put("epoch", m.epoch());
        n.put("offset", m.offset());
        return n;
    }

    /** A refusal given inside a 200 answer, as {@code {"error","reason"}}; counted like any other. */
    private ObjectNode refused(Throwable t) {
        Throwable cause = JsonAnswer.unwrap(t);
        SwitchboardException e;
        if (cause instanceof SwitchboardException se) {
            e = se;
        } else {
            log.error("publish failed", cause);
            e = new SwitchboardException(500, "internal", "the server failed to publish this item");
        }
        metrics.error(ServerApi.DOOR, e.status());
        ObjectNode n = Json.object();
        n.put("error", e.code());
        n.put("reason", e.reason());
        return n;
    }
}
