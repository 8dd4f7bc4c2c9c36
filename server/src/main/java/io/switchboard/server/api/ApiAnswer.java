package io.switchboard.server.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.http.HttpResponses;
import io.switchboard.server.metrics.Metrics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to one server API request, written once: at once on the event loop, or later from the
 * completion of a Hub stage on whatever thread completes it ({@code writeAndFlush} is thread-safe).
 *
 * <p>It keeps only what writing needs: the context and a header-only copy of the request (for
 * keep-alive), never the request itself, which the dispatcher releases when the route returns.
 * Every error it writes is counted as a refusal of the {@code api} door.
 */
final class ApiAnswer {
    private static final Logger log = LoggerFactory.getLogger(ApiAnswer.class);
    static final String DOOR = "api";

    private final ChannelHandlerContext ctx;
    private final HttpRequest head;
    private final Metrics metrics;

    ApiAnswer(ChannelHandlerContext ctx, FullHttpRequest request, Metrics metrics) {
        this.ctx = ctx;
        this.metrics = metrics;
        // Only the version and Connection header decide keep-alive; copy them, not the request.
        this.head = new DefaultHttpRequest(request.protocolVersion(), request.method(), "/");
        String connection = request.headers().get(HttpHeaderNames.CONNECTION);
        if (connection != null) head.headers().set(HttpHeaderNames.CONNECTION, connection);
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    /** 200 with {@code body}. */
    void ok(byte[] body) {
        HttpResponses.sendJson(ctx, head, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body), null);
    }

    /** 200 with {@code body}; ownership of the buffer passes to this method. */
    void ok(ByteBuf body) {
        HttpResponses.sendJson(ctx, head, HttpResponseStatus.OK, body, null);
    }

    /** Counts and writes a refusal as status + {@code {"error","reason"}}, with {@code extra} headers. */
    void error(SwitchboardException e, HttpHeaders extra) {
        metrics.error(DOOR, e.status());
        HttpResponses.sendError(ctx, head, e, extra);
    }

    void error(SwitchboardException e) {
        error(e, null);
    }

    /** Answers a failed stage: its {@link SwitchboardException}, or a 500 with no detail (logged here). */
    void failed(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof SwitchboardException e) {
            error(e);
            return;
        }
        log.error("server API request failed", cause);
        error(new SwitchboardException(500, "internal", "the server failed to answer this request"));
    }

    /**
     * Answers when {@code stage} completes: {@code onValue} writes the answer, a failure is answered by
     * {@link #failed}. While the stage is pending the connection reads no further request, so that
     * answers leave in request order and a client cannot pile up work behind a slow broker.
     */
    <T> void when(CompletionStage<T> stage, Consumer<T> onValue) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        boolean paused = !future.isDone();
        if (paused) ctx.channel().config().setAutoRead(false);
        future.whenComplete((value, error) -> {
            try {
                if (error != null) failed(error);
                else onValue.accept(value);
            } catch (RuntimeException e) {
                failed(e);
            } finally {
                if (paused) ctx.channel().config().setAutoRead(true);
            }
        });
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
        return t;
    }
}
