package io.switchboard.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.core.auth.Identity;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.DeliveryLoop;
import io.switchboard.core.hub.Hub;
import io.switchboard.core.hub.Subscriber;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.core.presence.Member;
import io.switchboard.server.Connections;
import io.switchboard.server.ServerContext;
import io.switchboard.server.http.AccessLog;
import io.switchboard.server.limit.Backlog;
import io.switchboard.server.limit.ConnectionGuard;
import io.switchboard.server.limit.Heartbeats;
import io.switchboard.server.auth.UserSessions;
import io.switchboard.server.codec.Items;
import io.switchboard.server.codec.Json;
import io.switchboard.server.codec.NativeFormats;
import io.switchboard.server.codec.WebSocketFrames;
import io.switchboard.server.loop.LoopDelivery;
import io.switchboard.server.protocol.ClientFrame;
import io.switchboard.server.protocol.Replies;
import io.switchboard.server.session.Sessions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket session: the last handler of an upgraded connection, and the Hub's {@link Subscriber}
 * for it. Reads client frames and answers them, writes items, keeps the heartbeat and closes with the
 * codes of {@link CloseCode}. Confined to the connection's event loop, like every Hub callback to it.
 *
 * <p>Writes are never flushed one by one: each marks the connection with {@link LoopDelivery#flushSoon},
 * which flushes once per batch. Messages are written as the shared pre-framed bytes of
 * {@link NativeFormats#WS_FRAME}; every other frame is framed by {@link WebSocketFrames} (the pipeline has
 * no frame encoder: one handler less per connection).
 *
 * <p>Closing is one idempotent path, {@link #close}: it lets go of every channel, sends the close frame
 * and keeps reading (and discarding) until the client answers or {@link #CLOSE_GRACE_MILLIS} pass, so the
 * close frame is not lost to a TCP reset caused by bytes the server never read.
 */
final class WsSession extends ChannelInboundHandlerAdapter implements Subscriber, FrameReader.Sink,
        Heartbeats.Member, UserSessions.Disconnectable, Connections.Drainable, Consumer<Message> {
    /** How long a server-started close waits for the client's close frame before dropping the connection. */
    static final long CLOSE_GRACE_MILLIS = 2000;
    /** Fragments of one message kept as separate components before they are consolidated. */
    private static final int MAX_FRAGMENTS = 16;

    private static final Logger log = LoggerFactory.getLogger(WsSession.class);
    private static final Logger access = LoggerFactory.getLogger(AccessLog.LOGGER);

    private final ServerContext context;
    private final LoopDelivery delivery;
    /** The session id's 128 bits; its text ({@link #sessionId}) is made when needed, not kept. */
    private final long idHigh;
    private final long idLow;
    private final Subscriptions subscriptions;
    /** The slow-consumer policy: {@code 4409} past the bound, latest-value channels skip ahead. */
    private final Backlog backlog;
    private final Consumer<Message> writeMessage = this; // accept(): the session itself, no lambda per session
    private ChannelHandlerContext ctx;
    /** Who the client is; replaced by a valid {@code auth} frame of the same user. */
    private Identity identity;
    /** The token's expiry while open ({@code 4401}), the close grace once closing. */
    private ScheduledFuture<?> timer;
    private boolean started;
    /** session_connected was told (the upgrade's token was not refused). */
    private boolean announced;
    private boolean closing;
    /** The heartbeat's times ({@link Heartbeat}): last frame read, last frame written. */
    private long lastRead;
    private long lastWrite;
    /** The parts of a fragmented text message so far; null unless one is arriving (rare: clients send whole frames). */
    private CompositeByteBuf fragments;
    /** The first bytes of a frame still arriving; null between frames (nearly always). */
    private ByteBuf pending;
    /** A fragmented message is under way ({@link FrameReader.Sink}). */
    private boolean midMessage;
    /** A frame was broken: nothing more is read, the connection is closing. */
    private boolean corrupt;
    // For the access log's line when the session ends.
    private long startedNanos;
    private long framesIn;
    private long framesOut;
    /** The close code sent or received first; 1006 (abnormal) when the connection just dropped. */
    private short closeCode = 1006;

    /**
     * @param backlog  the door's slow-consumer policy, shared by its sessions
     * @param identity who the upgrade URL's token says the client is ({@link Identity#ANONYMOUS} without one)
     */
    WsSession(ServerContext context, Backlog.Policy backlog, Channel channel, Identity identity) {
        this.context = context;
        this.delivery = context.loops().of(channel.eventLoop());
        long[] idBits = context.sessions().newIdBits();
        this.idHigh = idBits[0];
        this.idLow = idBits[1];
        this.identity = identity;
        this.subscriptions = new Subscriptions(this);
        this.backlog = new Backlog(channel, backlog);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Called once the upgrade answer is on the wire: the welcome is the session's first frame.
     *
     * @param refusedToken why the upgrade URL's token was refused, or null: a browser cannot read the status
     *                     of a refused upgrade, so the upgrade is accepted and the session closed with {@code 4401}
     */
    void start(SwitchboardException refusedToken) {
        if (!channel().isActive()) return;
        started = true;
        startedNanos = System.nanoTime();
        if (log.isDebugEnabled()) log.debug("session {} opened from {}", sessionId(), channel().remoteAddress());
        context.metrics().connections("ws").incrementAndGet();
        send(Replies.welcome(sessionId(), context.config().heartbeat()));
        if (refusedToken != null) {
            close(CloseCode.BAD_TOKEN, refusedToken.reason());
            return;
        }
        announced = true; // a session refused for its token was never one, for webhooks
        context.sessionEvent(true, sessionId(), identity);
        context.users().add(identity.user(), this);
        lastRead = lastWrite = System.nanoTime();
        context.heartbeats().add(channel().eventLoop(), this);
        watchExpiry();
    }

    /** Closes with {@code 4401} when the token expires, unless an {@code auth} frame refreshes it first. */
    private void watchExpiry() {
        if (timer != null) timer.cancel(false);
        timer = null;
        long left = context.tokenMillisLeft(identity);
        if (left < 0) return;
        timer = channel().eventLoop().schedule(() -> close(CloseCode.BAD_TOKEN, "token expired"), left, TimeUnit.MILLISECONDS);
    }

    boolean open() {
        return !closing;
    }

    private Channel channel() {
        return ctx.channel();
    }

    ServerContext context() {
        return context;
    }

    /** Takes one frame from the connection's bucket (its guard); true when there is no guard (unit tests). */
    private boolean takeMessage() {
        ConnectionGuard guard = ConnectionGuard.of(channel());
        return guard == null || guard.takeMessage();
    }

    /** {@link #writeMessage} as the {@link Backlog}'s consumer, without a lambda object per session. */
    @Override
    public void accept(Message message) {
        writeMessage(message);
    }

    Subscriptions subscriptions() {
        return subscriptions;
    }

    EventLoop eventLoop() {
        return channel().eventLoop();
    }

    Hub hub() {
        return context.hub();
    }

    @Override
    public Identity identity() {
        return identity;
    }

    @Override
    public String sessionId() {
        return Sessions.idOf(idHigh, idLow);
    }

    @Override
    public void onPresence(String channel, boolean joined, Member member) {
        // Only for channels this client has been told it is subscribed to (not while subscribing or after leaving).
        if (!closing && subscriptions.active(channel)) send(Items.presence(joined, channel, member));
    }

    /**
     * An {@code auth} frame's token: replaces the identity (a refresh before expiry) when it belongs to the
     * same user; a session never changes user (403). Throws the verifier's 401 for a bad token, which
     * leaves the session as it was.
     */
    void refresh(String token) {
        Identity next = context.auth().verify(token);
        if (!identity.anonymous() && !java.util.Objects.equals(next.user(), identity.user())) {
            throw new SwitchboardException(403, "forbidden", "a session cannot change user; open a new one");
        }
        if (identity.anonymous() && announced) context.users().add(next.user(), this);
        identity = next;
        watchExpiry();
    }

    // ---- reading ----

    /**
     * Bytes from the client (the session reads frames itself, {@link FrameReader}: no decoder handler per
     * connection). Takes ownership of {@code msg}; an incomplete last frame is kept until the rest comes.
     */
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastRead = System.nanoTime();
        if (!(msg instanceof ByteBuf bytes) || corrupt) { // after a broken frame nothing can be read any more
            ReferenceCountUtil.release(msg);
            return;
        }
        ByteBuf held = pending;
        pending = null; // taken over by the reader, even if it throws
        pending = FrameReader.read(ctx.alloc(), held, bytes, context.config().maxBodyBytes(), this);
    }

    @Override
    public void failed(FrameReader.Failure failure) {
        corrupt = true;
        int max = context.config().maxBodyBytes();
        if (failure == FrameReader.Failure.TOO_LARGE) close(CloseCode.TOO_LARGE, "a frame is limited to " + max + " bytes");
        else close(CloseCode.PROTOCOL_VIOLATION, "malformed WebSocket frame");
    }

    @Override
    public boolean midMessage() {
        return midMessage;
    }

    @Override
    public void midMessage(boolean under) {
        midMessage = under;
    }

    /** One frame from {@link FrameReader}; takes ownership of it. */
    @Override
    public void frame(WebSocketFrame msg) {
        framesIn++;
        try {
            if (closing) {
                // Lingering close: discard everything; the client's close frame ends it.
                if (msg instanceof CloseWebSocketFrame) channel().close();
            } else if ((msg instanceof TextWebSocketFrame || msg instanceof PingWebSocketFrame)
                    && !takeMessage()) {
                close(CloseCode.RATE_LIMITED, "more than " + context.config().limits().messagesPerSecond()
                        + " frames a second; reconnect after a back-off");
            } else if (msg instanceof TextWebSocketFrame text) {
                if (text.isFinalFragment()) onText(text.content());
                else firstFragment(text);
            } else if (msg instanceof ContinuationWebSocketFrame more) {
                nextFragment(more);
            } else if (msg instanceof PingWebSocketFrame ping) {
                write(new PongWebSocketFrame(ping.content().retain()));
            } else if (msg instanceof CloseWebSocketFrame close) {
                onClientClose(close);
            } else if (msg instanceof BinaryWebSocketFrame) {
                close(CloseCode.PROTOCOL_VIOLATION, "binary frames are not supported; send JSON text");
            } else if (!(msg instanceof PongWebSocketFrame)) {
                close(CloseCode.PROTOCOL_VIOLATION, "unexpected frame");
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** A whole text message (not ours: the caller releases it). */
    private void onText(ByteBuf content) {
        // RFC 6455 §8.1: text must be valid UTF-8, or the connection fails.
        if (!ByteBufUtil.isText(content, StandardCharsets.UTF_8)) {
            close(CloseCode.PROTOCOL_VIOLATION, "a text message must be valid UTF-8");
            return;
        }
        JsonNode ref = null;
        try {
            ClientFrame f = ClientFrame.parse(ByteBufUtil.getBytes(content));
            ref = f.id();
            Ops.handle(this, f);
        } catch (SwitchboardException e) {
            sendError(e, ref);
        } catch (RuntimeException e) {
            log.error("session {} failed to answer a frame", sessionId(), e);
            sendError(new SwitchboardException(500, "internal", "the server failed to answer this frame"), ref);
        }
    }

    /**
     * The first frame of a fragmented message: kept (retained) until its last fragment. The decoder has
     * already refused fragments out of order (RFC 6455 §5.4) and frames over the frame limit.
     */
    private void firstFragment(TextWebSocketFrame first) {
        fragments = ctx.alloc().compositeBuffer(MAX_FRAGMENTS);
        nextFragment(first);
    }

    private void nextFragment(WebSocketFrame frame) {
        if (fragments == null) { // a continuation of a message never started: the decoder lets none through
            close(CloseCode.PROTOCOL_VIOLATION, "unexpected frame");
            return;
        }
        int max = context.config().maxBodyBytes();
        if (fragments.readableBytes() + frame.content().readableBytes() > max) {
            close(CloseCode.TOO_LARGE, "a message is limited to " + max + " bytes");
            return;
        }
        fragments.addComponent(true, frame.content().retain());
        if (!frame.isFinalFragment()) return;
        CompositeByteBuf message = fragments;
        fragments = null;
        try {
            onText(message);
        } finally {
            message.release();
        }
    }

    private void dropFragments() {
        if (fragments == null) return;
        fragments.release();
        fragments = null;
    }

    /** The client starts the closing handshake: echo its close frame, let go, and close once it is sent. */
    private void onClientClose(CloseWebSocketFrame frame) {
        closing = true;
        closeCode = (short) frame.statusCode();
        dropFragments();
        if (timer != null) timer.cancel(false);
        subscriptions.clear();
        ctx.writeAndFlush(WebSocketFrames.encode(ctx.alloc(), frame.retainedDuplicate())).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        dropFragments();
        if (pending != null) {
            pending.release();
            pending = null;
        }
        if (timer != null) timer.cancel(false);
        subscriptions.clear();
        if (started) {
            started = false;
            context.metrics().connections("ws").decrementAndGet();
            if (context.config().accessLog() && access.isInfoEnabled()) {
                access.info("door=ws session={} ip={} ms={} close={} frames_in={} frames_out={}", sessionId(),
                        AccessLog.ip(ctx), (System.nanoTime() - startedNanos) / 1_000_000, closeCode, framesIn, framesOut);
            }
            if (announced) {
                context.sessionEvent(false, sessionId(), identity);
                context.users().remove(identity.user(), this);
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Frames are read by the session itself (FrameReader): only I/O failures and bugs arrive here.
        if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
            // The client went away (mid-message, for the second): its doing, not the server's; no warning.
            if (log.isDebugEnabled()) log.debug("session {} connection failed: {}", sessionId(), cause.toString());
            channel().close();
        } else {
            log.warn("session {} failed: {}", sessionId(), cause.toString());
            channel().close();
        }
    }

    // ---- writing ----

    @Override
    public DeliveryLoop loop() {
        return delivery;
    }

    @Override
    public void onMessage(Message message) {
        if (closing || !subscriptions.active(message.channel())) return;
        if (!backlog.hold(message, writeMessage)) writeLive(message);
    }

    /**
     * A pass's run of live messages: when the socket has room for all of it, one shared buffer of all their
     * frames, one write; otherwise declined, so they come one by one and the Backlog sees each (latest-value
     * holding, the bound), as does a closed session or a left channel.
     */
    @Override
    public boolean onMessages(Message[] run, int n) {
        if (closing || !subscriptions.active(run[0].channel()) || !channel().isWritable()) return false;
        // We own this buffer (a retained duplicate of the loop's shared one); writing passes it on.
        ByteBuf frames = delivery.sharedRun(run, n, NativeFormats.WS_FRAME);
        if (frames.readableBytes() > channel().bytesBeforeUnwritable()) {
            frames.release(); // it would fill the socket: one by one, so the Backlog holds or cuts exactly as ever
            return false;
        }
        backlog.release(writeMessage); // anything held from before goes first (nothing, unless the socket just drained)
        ctx.write(frames, ctx.voidPromise());
        framesOut += n;
        delivery.delivered(n);
        wrote();
        return true;
    }

    /** A message the Backlog held: the session may have closed or left its channel since. */
    private void writeMessage(Message message) {
        if (closing || !subscriptions.active(message.channel())) return;
        writeLive(message);
    }

    /** Writes a message of a channel this session is subscribed to (checked by the caller). */
    private void writeLive(Message message) {
        // We own this buffer (a retained duplicate of the loop's shared one); writing passes it on.
        ByteBuf frame = delivery.shared(message, NativeFormats.WS_FRAME);
        // Already a whole frame (the loop's pre-framed bytes): nothing between the session and the socket but the guard.
        ctx.write(frame, ctx.voidPromise());
        framesOut++;
        delivery.delivered();
        wrote();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!closing) backlog.release(writeMessage);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void onGap(String channel, Position position) {
        if (subscriptions.active(channel)) send(Items.gap(channel, position));
    }

    /** Writes one item as a text frame; nothing once closing. */
    void send(ObjectNode item) {
        write(new TextWebSocketFrame(Unpooled.wrappedBuffer(Json.bytes(item))));
    }

    /** Sends {@code e} as an error frame answering {@code ref}, and counts it. */
    void sendError(SwitchboardException e, JsonNode ref) {
        context.metrics().error("ws", e.status());
        send(Replies.withRef(Items.error(e.status(), e.reason(), null), ref));
    }

    /** Takes ownership of {@code frame}: writes it, or releases it when the session is closing. */
    private void write(WebSocketFrame frame) {
        if (closing) {
            frame.release();
            return;
        }
        ctx.write(WebSocketFrames.encode(ctx.alloc(), frame), ctx.voidPromise());
        framesOut++;
        wrote();
    }

    private void wrote() {
        lastWrite = delivery.now();
        delivery.flushSoon(channel());
        if (backlog.overBound()) {
            close(CloseCode.TOO_SLOW, "the client reads too slowly; reconnect and resume from your position");
        }
    }

    // ---- heartbeat and closing ----

    /** The heartbeat sweep's visit: a ping after write silence, {@code 4408} after two heartbeats of read silence. */
    @Override
    public boolean beat(long now, boolean mayGiveUp) {
        if (closing) return false;
        switch (Heartbeat.due(now, lastRead, lastWrite, context.config().heartbeat().toNanos(), mayGiveUp)) {
            case TIMED_OUT -> {
                close(CloseCode.HEARTBEAT_TIMEOUT, "nothing arrived for two heartbeats");
                return false;
            }
            case PING -> {
                write(new PingWebSocketFrame());
                send(Replies.ping());
                lastWrite = now; // the pings' own write time may be a batch's, older than now
            }
            case NOTHING -> { }
        }
        return !closing;
    }

    /** {@link Connections.Drainable}: a graceful stop closes with {@code 4503}. */
    @Override
    public void drain() {
        close(CloseCode.GOING_AWAY, CloseCode.GOING_AWAY.reason());
    }

    /** {@code POST /api/disconnect} ends this session: {@code 4410}, do not reconnect. Any thread. */
    @Override
    public void disconnect() {
        channel().eventLoop().execute(() -> close(CloseCode.DISCONNECTED, CloseCode.DISCONNECTED.reason()));
    }

    /** Closes the session with {@code code}; the first call wins, later ones do nothing. */
    void close(CloseCode code, String reason) {
        if (closing) return;
        closing = true;
        closeCode = (short) code.code();
        if (log.isDebugEnabled()) log.debug("session {} closing with {}: {}", sessionId(), code.code(), reason);
        context.metrics().error("ws", code.code());
        dropFragments();
        if (timer != null) timer.cancel(false);
        subscriptions.clear();
        if (!channel().isActive()) return;
        ctx.writeAndFlush(WebSocketFrames.encode(ctx.alloc(), new CloseWebSocketFrame(code.code(), reason)), ctx.voidPromise());
        channel().config().setAutoRead(true);
        timer = channel().eventLoop().schedule(() -> {
            channel().close();
        }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    }
}
