package io.switchboard.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.codec.Json;
import io.switchboard.server.metrics.Metrics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON answer to one HTTP request that may need the Hub (the server API, {@code /history},
 * {@code /send}), written once: at once on the event loop, or later from the completion of a Hub stage on
 * whatever thread completes it ({@code writeAndFlush} is thread-safe).
 *
 * <p>It keeps only what writing needs: the context and a header-only copy of the request (for
 * keep-alive), never the request itself, which the dispatcher releases when the route returns.
 * Every error it writes is counted as a refusal of its door.
 */
public final class JsonAnswer {
    private static final Logger log = LoggerFactory.getLogger(JsonAnswer.class);

    private final ChannelHandlerContext ctx;
    private final HttpRequest head;
    private final Metrics metrics;
    private final String door;
    private final HttpHeaders headers;
    private volatile ObjectNode errorFields;

    /**
     * @param door    the metrics label refusals are counted under
     * @param headers added to every answer, success or error (e.g. CORS); null for none
     */
    public JsonAnswer(ChannelHandlerContext ctx, HttpRequest request, Metrics metrics, String door, HttpHeaders headers) {
        this.ctx = ctx;
        this.metrics = metrics;
        this.door = door;
        this.headers = headers;
        // Only the version and Connection header decide keep-alive; copy them, not the request.
        this.head = new DefaultHttpRequest(request.protocolVersion(), request.method(), "/");
        String connection = request.headers().get(HttpHeaderNames.CONNECTION);
        if (connection != null) head.headers().set(HttpHeaderNames.CONNECTION, connection);
    }

    public ChannelHandlerContext ctx() {
        return ctx;
    }

    /**
     * Fields every later error body carries after {@code error} and {@code reason} (e.g. {@code ref}
     * and {@code session} of {@code /send}). Set it before handing the answer to a stage.
     */
    public void errorFields(ObjectNode fields) {
        this.errorFields = fields;
    }

    /** 200 with {@code body}. */
    public void ok(byte[] body) {
        ok(Unpooled.wrappedBuffer(body));
    }

    /** 200 with {@code body}; ownership of the buffer passes to this method. */
    public void ok(ByteBuf body) {
        HttpResponses.sendJson(ctx, head, HttpResponseStatus.OK, body, headers);
    }

    /** 200 with {@code body}, then the connection closes. */
    public void okAndClose(byte[] body) {
        HttpHeaders h = new DefaultHttpHeaders();
        if (headers != null) h.add(headers);
        h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpResponses.sendJson(ctx, head, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body), h);
    }

    /** Counts and writes a refusal as status + {@code {"error","reason"}}, with {@code extra} headers. */
    public void error(SwitchboardException e, HttpHeaders extra) {
        metrics.error(door, e.status());
        HttpHeaders all = headers;
        if (extra != null) {
            all = new DefaultHttpHeaders();
            if (headers != null) all.add(headers);
            all.add(extra);
        }
        ObjectNode fields = errorFields;
        if (fields == null) {
            HttpResponses.sendError(ctx, head, e, all);
            return;
        }
        ObjectNode body = Json.object();
        body.put("error", e.code());
        body.put("reason", e.reason());
        body.setAll(fields);
        HttpResponses.sendJson(ctx, head, HttpResponseStatus.valueOf(e.status()), Json.bytes(body), all);
    }

    public void error(SwitchboardException e) {
        error(e, null);
    }

    /** Answers a failed stage: its {@link SwitchboardException}, or a 500 with no detail (logged here). */
    public void failed(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof SwitchboardException e) {
            error(e);
            return;
        }
        log.error("{} request failed", door, cause);
        error(new SwitchboardException(500, "internal", "the server failed to answer this request"));
    }

    /**
     * Answers when {@code stage} completes: {@code onValue} writes the answer, a failure is answered by
     * {@link #failed}. While the stage is pending a request pipelined behind this one waits
     * ({@link Parking}), so that answers leave in request order and a client cannot pile up work behind
     * a slow broker. Call on the connection's loop.
     */
    public <T> void when(CompletionStage<T> stage, Consumer<T> onValue) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        boolean pending = !future.isDone();
        if (pending) Parking.park(ctx.channel(), null);
        future.whenComplete((value, error) -> {
            try {
                if (error != null) failed(error);
                else onValue.accept(value);
            } catch (RuntimeException e) {
                failed(e);
            } finally {
                if (pending) Parking.unpark(ctx.channel());
            }
        });
    }

    /** The cause inside a stage's {@link CompletionException}s. */
    public static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
        return t;
    }
}
