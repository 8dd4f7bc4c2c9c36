package io.switchboard.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Opens and holds a scenario's subscriber connections, at most {@value #IN_FLIGHT} connecting at once
 * (so the server's accept backlog never overflows), spread over source addresses 127.0.0.2, .3, … with
 * at most {@link #PER_ADDRESS} connections each (the ephemeral port range is ~28k per address).
 */
final class Subscribers {
    static final int IN_FLIGHT = 200;
    static final int PER_ADDRESS = 20_000;

    private final EventLoopGroup group;
    private final Target target;
    private final Stats stats;
    private final SourceAddresses sources;
    private final List<Conn> conns = new ArrayList<>();
    private final ConcurrentLinkedQueue<Channel> channels = new ConcurrentLinkedQueue<>();

    Subscribers(EventLoopGroup group, Target target, Stats stats, SourceAddresses sources) {
        this.group = group;
        this.target = target;
        this.stats = stats;
        this.sources = sources;
    }

    List<Conn> conns() {
        return conns;
    }

    /** Opens one connection per conn, waiting until each has connected or failed (at most {@code timeoutMs}). */
    void open(List<Conn> toOpen, long timeoutMs) throws InterruptedException {
        Semaphore permits = new Semaphore(IN_FLIGHT);
        long deadline = System.currentTimeMillis() + timeoutMs;
        for (Conn conn : toOpen) {
            if (!permits.tryAcquire(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) break;
            conns.add(conn);
            connect(conn, permits);
        }
        // Wait for the last ones to settle: every permit back means nothing is connecting any more.
        permits.tryAcquire(IN_FLIGHT, Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
    }

    private void connect(Conn conn, Semaphore permits) {
        Bootstrap b = Net.client(group).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                pipeline(ch.pipeline(), conn);
            }
        });
        // The permit comes back once the connection is subscribed (Conn.connected) or has failed or closed;
        // set before connecting, since a door may count as subscribed as soon as the socket is up.
        conn.onSettled = permits::release;
        conn.connectStart = System.nanoTime();
        ChannelFuture f = b.connect(new InetSocketAddress(target.host, target.port),
                new InetSocketAddress(sources.next(), 0));
        f.addListener((ChannelFuture done) -> {
            if (done.isSuccess()) {
                channels.add(done.channel());
            } else {
                stats.failed.incrementAndGet();
                stats.error("connect-" + done.cause().getClass().getSimpleName());
                conn.settled();
            }
        });
    }

    private void pipeline(ChannelPipeline p, Conn conn) {
        String path = target.subscribePath(conn.door, conn.channelName);
        p.addLast(new HttpClientCodec());
        switch (conn.door) {
            case WS -> {
                p.addLast(new HttpObjectAggregator(65536));
                URI uri = URI.create("ws://" + target.host + ":" + target.port + path);
                p.addLast(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                        .webSocketUri(uri).version(WebSocketVersion.V13).allowExtensions(false)
                        .customHeaders(new DefaultHttpHeaders()).maxFramePayloadLength(1 << 20)
                        .handshakeTimeoutMillis(15_000).dropPongFrames(true)
                        // The generator measures delivery, not the server's UTF-8: validating cost it a quarter of its CPU.
                        .withUTF8Validator(false).build()));
                p.addLast(new WsSubscriber(target, conn, stats));
            }
            case SSE, STREAM -> {
                p.addLast(new StreamStart(target, path, conn.door));
                p.addLast(new StreamSubscriber(conn, stats));
            }
            case LONGPOLL -> {
                p.addLast(new HttpObjectAggregator(1 << 20));
                p.addLast(new LongPollSubscriber(target, conn, stats, path));
            }
        }
    }

    /** A connection closed: an error unless the generator closed it. */
    static void closed(Conn conn, Stats stats) {
        if (conn.connected) stats.open.decrementAndGet();
        else stats.failed.incrementAndGet();
        conn.settled();
        if (!conn.closing) {
            conn.closedByServer = true;
            stats.error("closed-by-server");
        }
    }

    /** Closes every connection and waits (at most {@code timeoutMs}) until they are closed. */
    void closeAll(long timeoutMs) throws InterruptedException {
        for (Conn conn : conns) conn.closing = true;
        List<ChannelFuture> futures = new ArrayList<>();
        for (Channel ch : channels) futures.add(ch.close());
        long deadline = System.currentTimeMillis() + timeoutMs;
        for (ChannelFuture f : futures) {
            if (!f.await(Math.max(1, deadline - System.currentTimeMillis()))) break;
        }
        channels.clear();
    }

    /** Sends the GET that opens an SSE or NDJSON stream. */
    static final class StreamStart extends io.netty.channel.ChannelInboundHandlerAdapter {
        private final Target target;
        private final String path;
        private final Door door;

        StreamStart(Target target, String path, Door door) {
            this.target = target;
            this.path = path;
            this.door = door;
        }

        @Override
        public void channelActive(io.netty.channel.ChannelHandlerContext ctx) throws Exception {
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
            request.headers().set(HttpHeaderNames.HOST, target.host + ":" + target.port);
            request.headers().set(HttpHeaderNames.ACCEPT, door == Door.SSE ? "text/event-stream" : "application/x-ndjson");
            ctx.writeAndFlush(request);
            super.channelActive(ctx);
        }
    }
}
