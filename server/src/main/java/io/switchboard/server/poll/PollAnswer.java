package io.switchboard.server.poll;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.Connections;
import io.switchboard.server.ServerContext;
import io.switchboard.server.codec.Items;
import io.switchboard.server.http.HttpResponses;
import io.switchboard.server.http.Parking;
import io.switchboard.server.session.Attachment;
import io.switchboard.server.session.HttpSession;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code /poll} or {@code /jsonp} request attached to its session: answered at once when items are
 * waiting or {@code wait} is 0, otherwise parked until the first items arrive or {@code wait} seconds
 * pass (then with no messages; the session's sweep tells it, {@link #expired}). Items are the messages'
 * once-encoded bytes (DESIGN.md rule 6: one publish completes every parked poll with the same encoded
 * item), copied into the answer's one body buffer next to its prefix and cursor/session suffix.
 *
 * <p>Runs on the session's loop. Exactly one of answer, failure or "client gone" happens, once.
 */
final class PollAnswer implements Attachment {
    private static final int FIRST_BODY_BYTES = 256;

    private final ServerContext context;
    private final ChannelHandlerContext ctx;
    private final Channel ch;
    /** The request is released when the dispatcher returns: keep only what keep-alive needs. */
    private final HttpVersion version;
    private final boolean keepAlive;
    /** CORS answer headers ({@link PollFraming#VARY_ORIGIN} for a request without Origin). */
    private final HttpHeaders cors;
    private final PollFraming framing;
    private final int waitSeconds;
    /** The parked-poll gauge ({@code switchboard.connections{door=longpoll}}). */
    private final AtomicInteger parkedGauge;
    private final ChannelFutureListener onClose = f -> clientGone();
    private volatile HttpSession session; // read by answerNow on the connection's loop
    private boolean parked;
    private boolean done;
    /** A request was pipelined behind this one: answer as soon as the session is ready. Any thread sets it. */
    private volatile boolean hurry;

    PollAnswer(ServerContext context, ChannelHandlerContext ctx, HttpRequest request, HttpHeaders cors,
               PollFraming framing, int waitSeconds, AtomicInteger parkedGauge) {
        this.context = context;
        this.ctx = ctx;
        this.ch = ctx.channel();
        this.version = request.protocolVersion();
        this.keepAlive = HttpUtil.isKeepAlive(request);
        this.cors = cors;
        this.framing = framing;
        this.waitSeconds = waitSeconds;
        this.parkedGauge = parkedGauge;
    }

    /**
     * For {@link Parking}, on the connection's loop: a request arrived behind this one. A parked poll
     * answers now; one still subscribing answers as soon as it is ready.
     */
    void answerNow() {
        hurry = true;
        HttpSession s = session;
        if (s != null) s.home().execute(() -> {
            if (parked) answer(null);
        });
    }

    @Override
    public void attached(HttpSession s) {
        session = s;
        ch.closeFuture().addListener(onClose); // runs at once if the client is already gone
    }

    @Override
    public void pump(HttpSession s) {
        if (done) return;
        if (s.hasItems() || waitSeconds == 0 || hurry) {
            answer(null);
        } else if (!parked) {
            park();
        }
    }

    @Override
    public void expired(HttpSession s) {
        answer(null);
    }

    private void park() {
        parked = true;
        parkedGauge.incrementAndGet();
        session.holdUntil(System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds));
        // A server drain answers it early.
        ch.attr(Connections.DRAIN).set(() -> session.home().execute(
                () -> answer(Items.error(503, "server going away; poll again, maybe elsewhere", null))));
    }

    @Override
    public void failed(HttpSession s, SwitchboardException error) {
        if (done) return;
        done = true;
        unwatch();
        context.metrics().error(framing.door(), error.status());
        HttpResponses.sendError(ctx, head(), error, cors);
        unpark();
    }

    /**
     * Answers with every waiting item (up to the session queue bound; the rest wait for the next poll),
     * preceded by {@code control} when not null — a drain's {@code error} item, after which the
     * connection closes.
     */
    private void answer(ObjectNode control) {
        if (done) return;
        done = true;
        unwatch();
        ByteBuf body = ch.alloc().buffer(FIRST_BODY_BYTES);
        try {
            framing.writePrefix(body);
            boolean first = true;
            if (control != null) {
                body.writeBytes(framing.format().control(control));
                first = false;
            }
            long limit = context.config().sessions().queueBytes();
            long bytes = 0;
            ByteBuf item;
            while (bytes < limit && (item = session.take(framing.format())) != null) {
                if (!first) body.writeByte(',');
                first = false;
                bytes += item.readableBytes();
                body.writeBytes(item);
                item.release();
            }
            framing.writeSuffix(body, session);
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
        session.detach(this);
        // As HttpResponses.send: keep-alive as the request asked, except after a drain's answer.
        boolean keep = keepAlive && control == null;
        CharSequence connection = !keep ? HttpHeaderValues.CLOSE
                : version.equals(HttpVersion.HTTP_1_0) ? HttpHeaderValues.KEEP_ALIVE : null;
        HttpHeaders headers = framing.headers(body.readableBytes(), cors, connection);
        // Ownership: the body passes to the response, and the response to the channel.
        ChannelFuture written = ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                body, headers, EmptyHttpHeaders.INSTANCE));
        if (!keep) written.addListener(ChannelFutureListener.CLOSE);
        unpark();
    }

    /** A stand-in for the released request, for {@link HttpResponses}: its version and keep-alive wish. */
    private HttpRequest head() {
        HttpRequest head = new DefaultHttpRequest(version, HttpMethod.GET, "/");
        if (keepAlive && version.equals(HttpVersion.HTTP_1_0)) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else if (!keepAlive && !version.equals(HttpVersion.HTTP_1_0)) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return head;
    }

    /** The client closed the connection before the answer: the session ends with it (nothing left behind). */
    private void clientGone() {
        session.home().execute(() -> {
            if (done) return;
            done = true;
            unwatch();
            session.closed(this);
            unpark();
        });
    }

    private void unwatch() {
        ch.closeFuture().removeListener(onClose);
        if (parked) {
            parkedGauge.decrementAndGet();
            ch.attr(Connections.DRAIN).set(null);
        }
    }

    /** After the answer was written (or the client left): lets a request that waited behind this one through. */
    private void unpark() {
        Parking.unpark(ch);
    }
}
