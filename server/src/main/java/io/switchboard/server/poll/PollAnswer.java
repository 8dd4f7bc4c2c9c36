package io.switchboard.server.poll;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.Connections;
import io.switchboard.server.ServerContext;
import io.switchboard.server.codec.Items;
import io.switchboard.server.http.HttpResponses;
import io.switchboard.server.http.Parking;
import io.switchboard.server.session.Attachment;
import io.switchboard.server.session.HttpSession;
import java.util.concurrent.TimeUnit;

/**
 * One {@code /poll} or {@code /jsonp} request attached to its session: answered at once when items are
 * waiting or {@code wait} is 0, otherwise parked until the first items arrive or {@code wait} seconds
 * pass (then with no messages). Items are the messages' shared bytes (DESIGN.md rule 6: one publish
 * completes every parked poll with the same encoded item); only the prefix and the cursor/session suffix
 * are this answer's own.
 *
 * <p>Runs on the session's loop. Exactly one of answer, failure or "client gone" happens, once.
 */
final class PollAnswer implements Attachment {
    private static final byte[] COMMA = {','};
    /** Components past which a body is copied into one buffer rather than gathered. */
    private static final int MAX_COMPONENTS = 64;

    private final ServerContext context;
    private final ChannelHandlerContext ctx;
    private final Channel ch;
    private final HttpRequest head;
    private final HttpHeaders cors;
    private final PollFraming framing;
    private final int waitSeconds;
    private final ChannelFutureListener onClose = f -> clientGone();
    private volatile HttpSession session; // read by answerNow on the connection's loop
    private ScheduledFuture<?> timer;
    private boolean parked;
    private boolean done;
    /** A request was pipelined behind this one: answer as soon as the session is ready. Any thread sets it. */
    private volatile boolean hurry;

    PollAnswer(ServerContext context, ChannelHandlerContext ctx, HttpRequest request, HttpHeaders cors,
               PollFraming framing, int waitSeconds) {
        this.context = context;
        this.ctx = ctx;
        this.ch = ctx.channel();
        // The request is released when the dispatcher returns: keep only what keep-alive needs.
        this.head = new DefaultHttpRequest(request.protocolVersion(), request.method(), "/");
        String connection = request.headers().get(HttpHeaderNames.CONNECTION);
        if (connection != null) head.headers().set(HttpHeaderNames.CONNECTION, connection);
        this.cors = cors;
        this.framing = framing;
        this.waitSeconds = waitSeconds;
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

    private void park() {
        parked = true;
        context.metrics().connections("longpoll").incrementAndGet();
        timer = session.home().eventLoop().schedule(() -> answer(null), waitSeconds, TimeUnit.SECONDS);
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
        HttpResponses.sendError(ctx, head, error, cors);
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
        ByteBufAllocator alloc = ch.alloc();
        CompositeByteBuf body = alloc.compositeBuffer(MAX_COMPONENTS);
        try {
            body.addComponent(true, framing.prefix(alloc));
            boolean first = true;
            if (control != null) {
                body.addComponent(true, Unpooled.wrappedBuffer(framing.format().control(control)));
                first = false;
            }
            long limit = context.config().sessions().queueBytes();
            long bytes = 0;
            ByteBuf item;
            while (bytes < limit && (item = session.take(framing.format())) != null) {
                if (!first) body.addComponent(true, Unpooled.wrappedBuffer(COMMA));
                first = false;
                bytes += item.readableBytes();
                body.addComponent(true, item);
            }
            body.addComponent(true, framing.suffix(alloc, session.cursor(), session.id()));
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
        session.detach(this);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        HttpHeaders h = response.headers();
        framing.headers(h);
        HttpResponses.noStore(h);
        h.add(cors);
        if (control != null) h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpResponses.send(ctx, head, response);
        unpark();
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
        if (timer != null) timer.cancel(false);
        ch.closeFuture().removeListener(onClose);
        if (parked) {
            context.metrics().connections("longpoll").decrementAndGet();
            ch.attr(Connections.DRAIN).set(null);
        }
    }

    /** After the answer was written (or the client left): lets a request that waited behind this one through. */
    private void unpark() {
        Parking.unpark(ch);
    }
}
