package io.switchboard.server.stream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.Connections;
import io.switchboard.server.ServerContext;
import io.switchboard.server.codec.Items;
import io.switchboard.server.http.HttpResponses;
import io.switchboard.server.loop.LoopDelivery;
import io.switchboard.server.session.Attachment;
import io.switchboard.server.session.HttpSession;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code /stream} or {@code /iframe} answer attached to its session, and the last inbound handler of
 * its connection once {@link StreamDoor} has taken the connection over.
 *
 * <p>Once the session is subscribed it sends the headers and the {@code open} item, then every item the
 * session queues, one chunk each, and a heartbeat after a heartbeat of write silence. The headers wait
 * for the subscription so that a refusal (409 session busy, 503 broker down) is still a status. After
 * {@link io.switchboard.server.HttpSessionConfig#streamBytes} body bytes it ends the answer and detaches:
 * the session lives on and queues, and the client reconnects with {@code session=ID&since=CURSOR}. A
 * graceful stop ends it with an {@code error} item 503; a client that leaves, or a reader that lets too
 * much pile up, ends the session with the connection. An answer the server has ended is closed once
 * written, or after a heartbeat if the reader does not take the rest.
 *
 * <p>Threading: the {@link Attachment} methods, the heartbeat and all state run on the session's loop,
 * which may differ from the connection's; the pipeline callbacks run on the connection's loop and only
 * drop input or close. Exactly one of failure, server end (cap, drain) or "client gone" happens, once.
 */
final class StreamAnswer extends ChannelInboundHandlerAdapter implements Attachment {
    private static final Logger log = LoggerFactory.getLogger(StreamAnswer.class);

    private final ServerContext context;
    private final Channel ch;
    private final HttpRequest head;
    private final HttpHeaders cors;
    private final StreamFraming framing;
    private final long streamBytes;
    private final long heartbeatNanos;
    private final ChannelFutureListener onClose = f -> clientGone();
    private final Runnable heartbeatTask = this::heartbeat;
    /** This handler's place in the pipeline, for an error answer; set when the door installs it. */
    private volatile ChannelHandlerContext ctx;

    // Session-loop state.
    private HttpSession session;
    private LoopDelivery delivery;
    private boolean sameLoop;
    private boolean started;
    private boolean done;
    private long bytes;
    private int items;
    private long lastWriteNanos;
    private ScheduledFuture<?> heartbeat;
    private ScheduledFuture<?> expiry;

    StreamAnswer(ServerContext context, Channel ch, HttpRequest request, HttpHeaders cors, StreamFraming framing) {
        this.context = context;
        this.ch = ch;
        // The request is released when the dispatcher returns: keep only what an error answer needs.
        this.head = new DefaultHttpRequest(request.protocolVersion(), request.method(), "/");
        this.cors = cors;
        this.framing = framing;
        this.streamBytes = context.config().sessions().streamBytes();
        this.heartbeatNanos = context.config().heartbeat().toNanos();
    }

    // ---- from the session, on its loop ----

    @Override
    public void attached(HttpSession s) {
        session = s;
        delivery = s.home();
        sameLoop = delivery.eventLoop() == ch.eventLoop();
        ch.attr(Connections.DRAIN).set(() -> delivery.execute(this::drain));
        ch.closeFuture().addListener(onClose); // runs at once if the client is already gone
    }

    @Override
    public void pump(HttpSession s) {
        if (done) return;
        if (!started) start();
        ByteBuf item;
        // The cap ends an answer only once it holds an item, so that even a cap smaller than the iframe's
        // padding makes progress instead of ending answer after answer.
        while ((bytes < streamBytes || items == 0) && canWrite() && (item = s.take(framing.format())) != null) {
            send(framing.item(ch.alloc(), item));
            items++;
        }
        if (bytes >= streamBytes && items > 0) end(null);
    }

    @Override
    public void failed(HttpSession s, SwitchboardException error) {
        if (done) return;
        context.metrics().error(framing.door(), error.status());
        if (started) { // the session only fails while subscribing, before the stream starts; kept for safety
            end(framing.control(ch.alloc(), Items.error(error.status(), error.reason(), null)));
            return;
        }
        done = true;
        unwatch();
        refuse(error);
    }

    /** Headers, then the {@code open} item carrying the cursor the session starts from. */
    private void start() {
        started = true;
        HttpResponse response = HttpResponses.streamingHeaders(framing.contentType(), head.protocolVersion());
        response.headers().add(cors);
        write(response);
        context.metrics().connections(framing.door()).incrementAndGet();
        send(framing.first(ch.alloc(), session.id(), session.cursor()));
        heartbeat = delivery.eventLoop().schedule(heartbeatTask, heartbeatNanos, TimeUnit.NANOSECONDS);
        long tokenLeft = context.tokenMillisLeft(session.identity());
        if (tokenLeft >= 0) {
            // The answer ends when the token does; the client comes back with a new token and its cursor.
            expiry = delivery.eventLoop().schedule(() -> {
                if (!done) end(framing.control(ch.alloc(), Items.error(401, "token expired; reconnect with a new one", null)));
            }, tokenLeft, TimeUnit.MILLISECONDS);
        }
    }

    // ---- from the pipeline, on the connection's loop ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // A request pipelined behind the stream is never served: this connection answers one request.
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{} connection {} failed: {}", framing.door(), ch.remoteAddress(), cause.toString());
        ctx.close(); // the close listener ends the session
    }

    /** The client closed the connection (or it broke, or was cut off): nobody reads on, so the session ends. */
    private void clientGone() {
        delivery.execute(() -> {
            if (done) return;
            done = true;
            unwatch();
            session.closed(this);
        });
    }

    // ---- writing, on the session's loop ----

    /** False when the stream must stop; cuts off a reader that has let too much pile up. */
    private boolean canWrite() {
        if (done || !ch.isActive()) return false;
        if (!ch.isWritable()) {
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            if (out != null && out.totalPendingWriteBytes() > context.config().limits().outboundBytes()) {
                context.metrics().slowCut(framing.door());
                // Stop and close; the close listener ends the session and the client resumes from its cursor.
                log.debug("{} connection {} is too slow, closing", framing.door(), ch.remoteAddress());
                ch.close();
                return false;
            }
        }
        return true;
    }

    /** Writes {@code content} (ownership passes on) as one chunk and counts it against the cap. */
    private void send(ByteBuf content) {
        bytes += content.readableBytes();
        lastWriteNanos = System.nanoTime();
        write(new DefaultHttpContent(content));
    }

    /** On the connection's own loop the write joins the loop's flush batch; from another loop it goes alone. */
    private void write(Object msg) {
        if (sameLoop) {
            ch.write(msg, ch.voidPromise());
            delivery.flushSoon(ch);
        } else {
            ch.writeAndFlush(msg, ch.voidPromise());
        }
    }

    /**
     * The server ends the answer: {@code last} (ownership passes on; may be null) as the final item, the
     * last chunk, then the connection closes. The session is detached, not ended: the client comes back.
     */
    private void end(ByteBuf last) {
        done = true;
        unwatch();
        if (last != null) send(last);
        ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        // The close waits for the rest of the answer to be written; a reader that does not take it within a
        // heartbeat would otherwise hold it (up to a cap's worth of buffers) for as long as it likes.
        Runnable close = ch::close;
        ScheduledFuture<?> cutOff = ch.eventLoop().schedule(close, heartbeatNanos, TimeUnit.NANOSECONDS);
        ch.closeFuture().addListener(f -> cutOff.cancel(false));
        session.detach(this);
    }

    /** An error answer before the stream started; the dispatcher is gone, so the connection closes after it. */
    private void refuse(SwitchboardException error) {
        HttpHeaders extra = cors.copy().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpResponses.sendError(ctx, head, error, extra);
    }

    /** {@link Connections#DRAIN}: tell the client the server is going, end the answer, close. */
    private void drain() {
        if (done) {
            ch.close();
        } else if (started) {
            end(framing.control(ch.alloc(), Items.error(503, "server going away; reconnect, maybe elsewhere", null)));
        } else {
            done = true;
            unwatch();
            refuse(new SwitchboardException(503, "unavailable", "server going away; reconnect, maybe elsewhere"));
            session.detach(this);
        }
    }

    private void heartbeat() {
        heartbeat = null;
        if (done) return;
        long silent = System.nanoTime() - lastWriteNanos;
        if (silent >= heartbeatNanos) {
            if (!canWrite()) return;
            send(framing.heartbeat(ch.alloc()));
            if (bytes >= streamBytes && items > 0) {
                end(null);
                return;
            }
            silent = 0;
        }
        heartbeat = delivery.eventLoop().schedule(heartbeatTask, heartbeatNanos - silent, TimeUnit.NANOSECONDS);
    }

    /** Stops watching the connection: heartbeat, close listener, drain action, connection count. */
    private void unwatch() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
        if (expiry != null) expiry.cancel(false);
        ch.closeFuture().removeListener(onClose);
        ch.attr(Connections.DRAIN).set(null);
        if (started) context.metrics().connections(framing.door()).decrementAndGet();
    }
}
