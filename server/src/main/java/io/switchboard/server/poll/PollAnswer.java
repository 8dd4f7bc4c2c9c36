package io.switchboard.server.poll;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.core.error.SwitchboardException;
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
    /** Room for the prefix, suffix and a comma per item beyond the items' own bytes. */
    private static final int FIRST_BODY_BYTES = 192;

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
    private final PollWatch watch;
    private volatile HttpSession session; // read by answerNow on the connection's loop
    private boolean parked;
    /** An empty {@code wait=0} poll waited once for deliveries already on their way ({@link HttpSession#pumpLater}). */
    private boolean deferred;
    /** Parked, so a server drain answers it (read on the connection's loop). */
    private volatile boolean drainable;
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
        this.watch = PollWatch.of(ch);
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
        watch.current = this;
        if (ch.closeFuture().isDone()) clientGone(); // the client is already gone (done at most once)
    }

    @Override
    public void pump(HttpSession s) {
        if (done) return;
        if (s.hasItems() || hurry || waitSeconds == 0 && deferred) {
            answer(null);
        } else if (waitSeconds == 0) {
            deferred = true;
            s.pumpLater();
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
        drainable = true; // a server drain answers it early
    }

    /**
     * For {@link PollWatch}, on the connection's loop: the server is draining. A parked poll answers with
     * an error item (and the connection closes after it); returns false when not parked (the caller closes).
     */
    boolean drain() {
        if (!drainable) return false;
        session.home().execute(() -> answer(Items.error(503, "server going away; poll again, maybe elsewhere", null)));
        return true;
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
        // Sized for what is queued (counted in item JSON bytes), so a usual answer is written without regrowing.
        ByteBuf body = ch.alloc().buffer((int) Math.min(FIRST_BODY_BYTES + session.queuedBytes(),
                FIRST_BODY_BYTES + context.config().sessions().queueBytes()));
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
        // Ownership: the body passes to the response, and the response to the channel. A kept connection
        // needs no future: the void promise spares the encoder a promise per buffer (a failed write is
        // reported to the pipeline, whose last handler closes the connection).
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                body, headers, EmptyHttpHeaders.INSTANCE);
        if (keep) ctx.writeAndFlush(response, ctx.voidPromise());
        else ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
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

    /** The client closed the connection before the answer: the session ends with it (nothing left behind). Any thread. */
    void clientGone() {
        session.home().execute(() -> {
            if (done) return;
            done = true;
            unwatch();
            session.closed(this);
            unpark();
        });
    }

    private void unwatch() {
        if (watch.current == this) watch.current = null;
        if (parked) {
            parkedGauge.decrementAndGet();
            drainable = false;
        }
    }

    /** After the answer was written (or the client left): lets a request that waited behind this one through. */
    private void unpark() {
        Parking.unpark(ch);
    }
}
