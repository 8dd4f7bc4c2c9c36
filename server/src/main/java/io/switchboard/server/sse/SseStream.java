package io.switchboard.server.sse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.core.auth.Identity;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.DeliveryLoop;
import io.switchboard.core.hub.SubscribeCallback;
import io.switchboard.core.hub.Subscribed;
import io.switchboard.core.hub.Subscriber;
import io.switchboard.core.message.ChannelSlots;
import io.switchboard.core.message.Cursor;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.core.presence.Member;
import io.switchboard.server.Connections;
import io.switchboard.server.ServerContext;
import io.switchboard.server.limit.Backlog;
import io.switchboard.server.limit.Heartbeats;
import io.switchboard.server.auth.UserSessions;
import io.switchboard.server.codec.Items;
import io.switchboard.server.codec.NativeFormats;
import io.switchboard.server.http.HttpResponses;
import io.switchboard.server.loop.LoopDelivery;
import io.switchboard.server.session.Sessions;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open {@code /sse} stream: the Hub's {@link Subscriber} for the stream's channels, and the last
 * inbound handler of the connection once {@link SseDoor} has taken it over.
 *
 * <p>Keeps the stream's cursor; writes each message as its own {@code id:} line followed by the
 * message's shared {@link NativeFormats#SSE_EVENT} bytes, in one chunk; sends {@code : ping} after a
 * heartbeat of write silence; ends the body on a graceful stop ({@code sb:error} 503) or a failed
 * subscribe, cuts off a reader that lets too much pile up, and unsubscribes everything when the
 * connection closes, whoever closed it.
 *
 * <p>Confined to the connection's event loop, which is also its delivery loop: no locking.
 */
final class SseStream extends ChannelInboundHandlerAdapter
        implements Subscriber, SubscribeCallback, Heartbeats.Member, UserSessions.Disconnectable, Connections.Drainable,
        Consumer<Message> {
    private static final Logger log = LoggerFactory.getLogger(SseStream.class);

    private final ServerContext context;
    private final Channel ch;
    private final LoopDelivery delivery;
    private final SseRequest request;
    /** The stream's session id, as presence counts it: its 128 bits; the text is made when needed. */
    private final long idHigh;
    private final long idLow;
    private final Cursor cursor;
    private final ChannelSlots slots;
    /** The slow-consumer policy: cut past the bound (the client resumes from its id), latest-value channels skip ahead. */
    private final Backlog backlog;
    private final Consumer<Message> writeMessage = this; // accept(): the stream itself, no lambda per stream
    /** When the last chunk was written, for the heartbeat ({@link Heartbeats} visits the stream). */
    private long lastWriteNanos;
    private ScheduledFuture<?> expiry;
    /** Nothing more is written: the body has ended or the connection is going. */
    private boolean ended;
    /** Subscriptions and the connection count are given back; happens once, when the connection closes. */
    private boolean released;

    /** @param backlog the door's slow-consumer policy, shared by its streams */
    SseStream(ServerContext context, Backlog.Policy backlog, Channel ch, SseRequest request) {
        this.context = context;
        this.ch = ch;
        this.delivery = context.loops().of(ch.eventLoop());
        this.request = request;
        this.backlog = new Backlog(ch, backlog);
        long[] idBits = context.sessions().newIdBits();
        this.idHigh = idBits[0];
        this.idLow = idBits[1];
        this.cursor = request.cursor();
        this.slots = new ChannelSlots(request.channels());
    }

    /**
     * Sends the headers and the {@code retry:} line at once, then subscribes. Called on the loop, with
     * this handler already in the pipeline; {@code head} is only read here.
     */
    void start(HttpRequest head) {
        HttpResponse response = HttpResponses.streamingHeaders(SseDoor.CONTENT_TYPE, head.protocolVersion());
        response.headers().add(context.cors().headersFor(head));
        ch.write(response, ch.voidPromise());
        ch.writeAndFlush(new DefaultHttpContent(SseFrames.retry(ch.alloc(), context.config().sseRetry().toMillis())),
                ch.voidPromise());
        lastWriteNanos = System.nanoTime();
        context.metrics().connections("sse").incrementAndGet();
        context.sessionEvent(true, sessionId(), request.identity());
        context.users().add(request.identity().user(), this);
        if (!ch.isActive()) { // the client was already gone: no channelInactive will come to this handler
            release();
            return;
        }
        context.heartbeats().add(ch.eventLoop(), this);
        long tokenLeft = context.tokenMillisLeft(request.identity());
        if (tokenLeft >= 0) {
            // An EventSource cannot refresh its token: the stream ends, and the client reconnects with a new one.
            expiry = ch.eventLoop().schedule(() -> end(SseFrames.control(ch.alloc(), null, "sb:error",
                    Items.error(401, "token expired; reconnect with a new one", null))), tokenLeft, TimeUnit.MILLISECONDS);
        }
        context.hub().subscribe(this, request.subscribeRequests(), this);
    }

    // ---- from the Hub, on the loop ----

    @Override
    public DeliveryLoop loop() {
        return delivery;
    }

    @Override
    public Identity identity() {
        return request.identity();
    }

    @Override
    public String sessionId() {
        return Sessions.idOf(idHigh, idLow);
    }

    @Override
    public void onPresence(String channel, boolean joined, Member member) {
        if (!canWrite()) return;
        send(SseFrames.control(ch.alloc(), null, joined ? "sb:join" : "sb:leave", Items.presence(joined, channel, member)));
    }

    @Override
    public void onSubscribed(List<Subscribed> results) {
        for (int i = 0; i < results.size(); i++) cursor.set(i, results.get(i).position());
        // Browsers record this id without dispatching an event: a reconnect before the first message
        // resumes from here and loses nothing.
        if (canWrite()) send(SseFrames.idBlock(ch.alloc(), cursor));
    }

    @Override
    public void onFailed(SwitchboardException error) {
        context.metrics().error("sse", error.status());
        end(SseFrames.control(ch.alloc(), null, "sb:error", Items.error(error.status(), error.reason(), null)));
    }

    @Override
    public void onMessage(Message message) {
        if (ended || !backlog.hold(message, writeMessage)) writeMessage(message);
    }

    /** {@link #writeMessage} as the {@link Backlog}'s consumer, without a lambda object per stream. */
    @Override
    public void accept(Message message) {
        writeMessage(message);
    }

    /** Moves the cursor past {@code message} and writes it with its {@code id:} line. */
    private void writeMessage(Message message) {
        cursor.set(slots.of(message.channel()), message.position());
        if (!canWrite()) return;
        ByteBufAllocator alloc = ch.alloc();
        ByteBuf id = SseFrames.idLine(alloc, cursor);
        ByteBuf event = delivery.shared(message, NativeFormats.SSE_EVENT); // ours until written
        // One chunk, so the id and its event always travel together; the composite now owns both.
        send(alloc.compositeBuffer(2).addComponents(true, id, event));
        delivery.delivered();
    }

    @Override
    public void onGap(String channel, Position position) {
        cursor.set(slots.of(channel), position);
        if (!canWrite()) return;
        send(SseFrames.control(ch.alloc(), cursor, "sb:gap", Items.gap(channel, position)));
    }

    // ---- from the pipeline ----

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ended) backlog.release(writeMessage);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // A request pipelined behind the stream's is never served: this connection answers one request.
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("sse connection {} failed: {}", ch.remoteAddress(), cause.toString());
        ended = true;
        ctx.close();
    }

    // ---- writing ----

    /** False when nothing may be written any more; cuts off a reader that has let too much pile up. */
    private boolean canWrite() {
        if (ended) return false;
        if (backlog.overBound()) {
            // Stop and close: the client's EventSource comes back with its last id and resumes from there.
            log.debug("sse connection {} is too slow, closing", ch.remoteAddress());
            ended = true;
            ch.close();
            return false;
        }
        return true;
    }

    /** Writes {@code content} (ownership passes on) as one chunk; flushed with the loop's batch. */
    private void send(ByteBuf content) {
        ch.write(new DefaultHttpContent(content), ch.voidPromise());
        lastWriteNanos = System.nanoTime();
        delivery.flushSoon(ch);
    }

    /** Ends the body after {@code last} (ownership passes on), then closes. Only the first call writes. */
    private void end(ByteBuf last) {
        if (ended) {
            last.release();
            return;
        }
        ended = true;
        ch.write(new DefaultHttpContent(last), ch.voidPromise());
        ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    }

    /** {@link Connections.Drainable}: tell the client the server is going, end the body, close. */
    @Override
    public void drain() {
        if (ended) {
            ch.close();
            return;
        }
        end(SseFrames.control(ch.alloc(), null, "sb:error", Items.error(503, "server going away", null)));
    }

    /** {@code POST /api/disconnect}: an {@code error} item 410, then the end. Any thread. */
    @Override
    public void disconnect() {
        ch.eventLoop().execute(() -> end(SseFrames.control(ch.alloc(), null, "sb:error",
                Items.error(410, "disconnected by the server; do not reconnect", null))));
    }

    /** The heartbeat sweep's visit: a {@code : ping} comment after a heartbeat of write silence. */
    @Override
    public boolean beat(long now, boolean mayGiveUp) {
        if (ended) return false;
        if (now - lastWriteNanos >= context.config().heartbeat().toNanos()) {
            if (!canWrite()) return false;
            send(SseFrames.ping(ch.alloc()));
        }
        return !ended;
    }

    /** The connection closed: give back every subscription and the connection count. */
    private void release() {
        if (released) return;
        released = true;
        ended = true;
        if (expiry != null) expiry.cancel(false);
        for (String channel : request.channels()) context.hub().unsubscribe(this, channel);
        context.metrics().connections("sse").decrementAndGet();
        context.sessionEvent(false, sessionId(), request.identity());
        context.users().remove(request.identity().user(), this);
    }
}
