package io.switchboard.bench.baseline;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.switchboard.bench.Net;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The bare Netty baseline: the least a JVM server can do to fan a message out. {@code GET /ws?channel=C}
 * (WebSocket) and {@code GET /sse?channel=C} (chunked SSE) subscribe; {@code POST /publish?channel=C}
 * frames the body once per door into one direct buffer and hands every subscriber a
 * {@code retainedDuplicate()}, one task per event loop and one flush per connection per publish. No
 * history, no auth, no heartbeats, no slow-consumer policy: the practical ceiling, not a product.
 */
public final class BaselineServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel server;
    private final Map<EventLoop, Shard> shards = new ConcurrentHashMap<>();
    private final UnaryOperator<List<byte[]>> relay;

    private BaselineServer(EventLoopGroup group, Channel server, UnaryOperator<List<byte[]>> relay) {
        this.group = group;
        this.server = server;
        this.relay = relay;
    }

    /**
     * Starts on {@code host:port} (0: any free port) with {@code threads} event loops (0: Netty's default).
     * {@code relay} (null: none) turns each published body into the bodies actually sent: tests use it to
     * inject loss, duplicates and reordering.
     */
    public static BaselineServer start(String host, int port, int threads, UnaryOperator<List<byte[]>> relay)
            throws InterruptedException {
        EventLoopGroup group = Net.group(threads, "baseline");
        BaselineServer[] self = new BaselineServer[1];
        Channel server = new ServerBootstrap().group(group).channel(Net.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                                new BaselineHandler(self[0]));
                    }
                }).bind(host, port).sync().channel();
        self[0] = new BaselineServer(group, server, relay);
        return self[0];
    }

    public int port() {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    /** Registers a subscriber on its own event loop (called there). */
    void subscribe(Channel ch, String channel, boolean ws) {
        Shard shard = shards.computeIfAbsent(ch.eventLoop(), l -> new Shard());
        List<Channel> list = (ws ? shard.ws : shard.sse).computeIfAbsent(channel, c -> new ArrayList<>());
        list.add(ch);
        ch.closeFuture().addListener(f -> list.remove(ch)); // runs on the same loop
    }

    /** Publishes {@code body} (the caller keeps nothing) to every subscriber of {@code channel}. */
    void publish(String channel, byte[] body) {
        List<byte[]> bodies = relay == null ? List.of(body) : relay.apply(List.of(body));
        for (byte[] b : bodies) fanOut(channel, b);
    }

    private void fanOut(String channel, byte[] body) {
        byte[] wsFrame = Framing.wsText(body);
        byte[] sseChunk = Framing.sseChunk(body);
        for (Map.Entry<EventLoop, Shard> e : shards.entrySet()) {
            Shard shard = e.getValue();
            e.getKey().execute(() -> {
                send(shard.ws.get(channel), wsFrame);
                send(shard.sse.get(channel), sseChunk);
            });
        }
    }

    /** One direct buffer for the loop; each subscriber gets a retained duplicate, then one flush each. */
    private static void send(List<Channel> subscribers, byte[] bytes) {
        if (subscribers == null || subscribers.isEmpty()) return;
        ByteBuf shared = ByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
        try {
            for (Channel ch : subscribers) ch.write(shared.retainedDuplicate(), ch.voidPromise());
            for (Channel ch : subscribers) ch.flush();
        } finally {
            shared.release(); // each write owns its duplicate
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The subscribers of one event loop, touched only on that loop. */
    private static final class Shard {
        final Map<String, List<Channel>> ws = new HashMap<>();
        final Map<String, List<Channel>> sse = new HashMap<>();
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
