package io.switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One publisher: a keep-alive HTTP connection that publishes to its channels in turn, one request at a
 * time (so its messages reach the server in order), on a fixed schedule of {@code rate} messages per
 * second. Each payload carries the publisher's number, its sequence number on that channel, the
 * intended send time of the schedule and the actual send time; when the server answers slowly the
 * publisher falls behind and the intended times make that delay part of the measured latency
 * (coordinated omission). A sequence number is used up only when the server accepted the publish.
 *
 * <p>Confined to its event loop; {@link #sent} is read after {@link #stop} completed.
 */
final class Publisher extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final int id;
    private final Target target;
    private final String[] channelNames; // all channels of the scenario
    private final int[] own;             // indexes of the channels this publisher publishes to
    private final long[] sent;           // per channel index: messages accepted
    private final String pad;
    private final Stats stats;
    private Channel channel;
    private int turn;                    // index into own of the next message
    private long startNanos;
    private long intervalNanos;
    private long scheduled;              // messages due so far in this phase
    private boolean running;
    private boolean inFlight;
    private boolean warmup;
    private int warmupLeft;
    private CompletableFuture<Void> warmupDone;
    private long maxLagNanos;
    private long pendingSeqChannel = -1;

    Publisher(int id, Target target, String[] channelNames, int[] own, int payloadBytes, Stats stats) {
        this.id = id;
        this.target = target;
        this.channelNames = channelNames;
        this.own = own;
        this.sent = new long[channelNames.length];
        this.pad = "x".repeat(Math.max(0, payloadBytes - 60));
        this.stats = stats;
    }

    CompletableFuture<Void> connect(EventLoopGroup group) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Publisher self = this;
        ChannelFuture f = Net.client(group).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20), self);
            }
        }).connect(new InetSocketAddress(target.host, target.publishPort));
        f.addListener((ChannelFuture r) -> {
            if (r.isSuccess()) {
                channel = r.channel();
                done.complete(null);
            } else {
                done.completeExceptionally(r.cause());
            }
        });
        return done;
    }

    /** Sends one warm-up message (publisher −1) to each of its channels; completes when all were answered. */
    CompletableFuture<Void> warmup() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            if (own.length == 0) {
                done.complete(null);
                return;
            }
            warmup = true;
            warmupLeft = own.length;
            warmupDone = done;
            turn = 0;
            sendNext();
        });
        return done;
    }

    /** Starts publishing at {@code rate} messages per second (this publisher's share). */
    void start(double rate) {
        channel.eventLoop().execute(() -> {
            running = true;
            intervalNanos = (long) (1e9 / rate);
            startNanos = System.nanoTime();
            scheduled = 0;
            if (!inFlight) sendNext();
        });
    }

    /** Stops publishing; completes once the last request in flight was answered. */
    CompletableFuture<Void> stop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            running = false;
            whenIdle(done);
        });
        return done;
    }

    private void whenIdle(CompletableFuture<Void> done) {
        if (!inFlight || !channel.isActive()) done.complete(null);
        else channel.eventLoop().schedule(() -> whenIdle(done), 5, TimeUnit.MILLISECONDS);
    }

    long[] sent() {
        return sent;
    }

    long maxLagNanos() {
        return maxLagNanos;
    }

    void close() {
        if (channel != null) channel.close();
    }

    private void sendNext() {
        if (inFlight || own.length == 0) return;
        long now = System.nanoTime();
        long intended;
        long p;
        if (warmup) {
            intended = now;
            p = -1;
        } else {
            if (!running) return;
            intended = startNanos + scheduled * intervalNanos;
            if (intended > now) {
                channel.eventLoop().schedule(this::sendNext, intended - now, TimeUnit.NANOSECONDS);
                return;
            }
            maxLagNanos = Math.max(maxLagNanos, now - intended);
            scheduled++;
            p = id;
        }
        int c = own[turn];
        turn = (turn + 1) % own.length;
        long seq = p < 0 ? 0 : sent[c];
        pendingSeqChannel = p < 0 ? -1 : c;
        String payload = "{" + MarkerScanner.marker(p, seq, intended, now) + ",\"pad\":\"" + pad + "\"}";
        String name = channelNames[c];
        ByteBuf body = Unpooled.copiedBuffer(target.publishBody(name, payload), StandardCharsets.UTF_8);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                target.publishPath(name), body);
        request.headers().set(HttpHeaderNames.HOST, target.host + ":" + target.publishPort);
        request.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        target.publishHeaders(request.headers());
        inFlight = true;
        channel.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) stats.error("publish-write");
        });
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
        inFlight = false;
        int status = response.status().code();
        if (status >= 200 && status < 300) {
            if (pendingSeqChannel >= 0) {
                sent[(int) pendingSeqChannel]++;
                stats.published.increment();
            }
        } else {
            stats.error("publish-status-" + status);
        }
        if (warmup) {
            if (--warmupLeft == 0) {
                warmup = false;
                warmupDone.complete(null);
                return;
            }
        }
        sendNext();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (running || inFlight) stats.error("publisher-closed");
        inFlight = false;
        if (warmupDone != null) warmupDone.complete(null);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.error("publisher-" + cause.getClass().getSimpleName());
        ctx.close();
    }
}
