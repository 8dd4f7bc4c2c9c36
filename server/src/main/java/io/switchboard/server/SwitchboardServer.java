package io.switchboard.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.switchboard.core.auth.Access;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.broker.Broker;
import io.switchboard.core.broker.MemoryBroker;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.Hub;
import io.switchboard.core.message.ItemJson;
import io.switchboard.core.presence.MemoryPresenceStore;
import io.switchboard.core.presence.PresenceStore;
import io.switchboard.core.time.Clock;
import io.switchboard.server.api.HealthRoutes;
import io.switchboard.server.auth.JwtVerifier;
import io.switchboard.server.api.ServerApi;
import io.switchboard.server.codec.NativeFormats;
import io.switchboard.server.history.HistoryDoor;
import io.switchboard.server.http.AccessLog;
import io.switchboard.server.http.BodyLimit;
import io.switchboard.server.http.DisabledDoors;
import io.switchboard.server.http.HttpDispatcher;
import io.switchboard.server.http.Preflight;
import io.switchboard.server.http.Route;
import io.switchboard.server.limit.ConnectionGate;
import io.switchboard.server.limit.ConnectionGuard;
import io.switchboard.server.limit.IdleSweep;
import io.switchboard.server.limit.LimitsConfig;
import io.switchboard.server.limit.Refusal;
import io.switchboard.server.limit.Traffic;
import io.switchboard.server.loop.Loops;
import io.switchboard.server.metrics.Metrics;
import io.switchboard.server.poll.PollDoor;
import io.switchboard.server.send.SendDoor;
import io.switchboard.server.sse.SseDoor;
import io.switchboard.server.webhook.WebhookSender;
import io.switchboard.server.webhook.Webhooks;
import io.switchboard.server.stream.StreamDoor;
import io.switchboard.server.web.Demo;
import io.switchboard.server.web.Pages;
import io.switchboard.server.web.StaticAsset;
import io.switchboard.server.ws.WebSocketDoor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Switchboard node: the Hub, its Broker and the Netty server with every door.
 * {@link #start} binds and returns once the port is open; {@link #close} stops gracefully.
 */
public final class SwitchboardServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SwitchboardServer.class);

    /** The doors browsers use across origins (the WebSocket checks its Origin on the upgrade instead). */
    private static final List<String> BROWSER_DOORS =
            List.of("/sse", "/poll", "/jsonp", "/history", "/send", "/stream", "/iframe");

    private final ServerConfig config;
    private final Broker broker;
    private final Hub hub;
    /** Where this node's events go: webhooks, or nowhere. */
    private final Webhooks events;
    private final Metrics metrics;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Connections connections = new Connections();
    private final ConnectionGate gate;
    private final Traffic traffic = new Traffic(connections::forEach);
    private final ServerContext context;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private Channel serverChannel;
    /** The TLS context when the config has a certificate; null for plain HTTP. */
    private final SslContext tls;

    private SwitchboardServer(ServerConfig config, Broker broker, PresenceStore presence, Clock clock) {
        this.config = config;
        this.broker = broker;
        this.metrics = new Metrics();
        this.gate = new ConnectionGate(config.limits());
        // First, before any thread starts: a bad certificate or token key stops the start with nothing to undo.
        this.tls = Tls.context(config.tls());
        TokenVerifier verifier = JwtVerifier.from(config.tokens(), clock);
        this.events = WebhookSender.start(config.webhooks(), metrics, clock);
        this.hub = new Hub(broker, config.hub(), access(config), presence, events, clock);
        this.bossGroup = NetworkTransport.newGroup(1, "switchboard-accept");
        this.workerGroup = NetworkTransport.newGroup(NetworkTransport.ioThreads(), "switchboard-io");
        Loops loops = new Loops(workerGroup, PooledByteBufAllocator.DEFAULT, metrics);
        this.context = new ServerContext(config, hub, loops, metrics, clock, connections,
                verifier, events);
        metrics.hub(() -> hub.channels(null));
        metrics.traffic(traffic::in, traffic::out);
        metrics.encodings(ItemJson.FORMAT);
        metrics.encodings(NativeFormats.WS_FRAME);
        metrics.encodings(NativeFormats.SSE_EVENT);
        metrics.encodings(NativeFormats.SCRIPT_ITEM);
        metrics.encodings(NativeFormats.NDJSON_LINE);
    }

    /** Starts a node on the in-memory broker. */
    public static SwitchboardServer start(ServerConfig config) throws InterruptedException {
        Clock clock = Clock.system();
        return start(config, new MemoryBroker(clock, access(config)::history), clock);
    }

    /** The access rules and namespace settings of {@code config}. */
    public static Access access(ServerConfig config) {
        return new Access(config.hub().namespaces(), config.history(), config.hub().maxDataBytes());
    }

    /** Starts a node on {@code broker}; the server owns it from now on and closes it on stop. */
    public static SwitchboardServer start(ServerConfig config, Broker broker, Clock clock) throws InterruptedException {
        return start(config, broker, new MemoryPresenceStore(config.hub().presenceGrace()), clock);
    }

    /**
     * Starts a node on {@code broker} and {@code presence} (e.g. Redis's, shared by many nodes); the server owns
     * both from now on and closes them on stop.
     */
    public static SwitchboardServer start(ServerConfig config, Broker broker, PresenceStore presence, Clock clock)
            throws InterruptedException {
        SwitchboardServer server = new SwitchboardServer(Demo.apply(config), broker, presence, clock);
        try {
            server.bind();
        } catch (InterruptedException | RuntimeException e) {
            server.shutdownGroups();
            server.events.close();
            throw e;
        }
        return server;
    }

    private void bind() throws InterruptedException {
        Map<String, Route> exact = new HashMap<>();
        Map<String, Route> prefixes = new HashMap<>();
        exact.put("/ws", new WebSocketDoor(context));
        exact.put("/sse", new SseDoor(context));
        exact.put("/poll", PollDoor.poll(context));
        exact.put("/jsonp", PollDoor.jsonp(context));
        exact.put("/stream", StreamDoor.stream(context));
        exact.put("/iframe", StreamDoor.iframe(context));
        HealthRoutes health = new HealthRoutes(context, draining::get);
        exact.put("/healthz", health::healthz);
        exact.put("/readyz", health::readyz);
        exact.put("/metrics", health::metrics);
        exact.put("/history", new HistoryDoor(context));
        exact.put("/send", new SendDoor(context));
        exact.put("/switchboard.js", StaticAsset.clientModule(metrics));
        exact.put("/switchboard.global.js", StaticAsset.clientScript(metrics));
        prefixes.put("/api/", new ServerApi(context, this::drain));
        Pages.install(exact, context);
        browserDoors(exact);
        DisabledDoors.apply(config.disabledDoors(), exact);
        HttpDispatcher dispatcher = new HttpDispatcher(exact, prefixes, metrics);
        LimitsConfig limits = config.limits();
        // When a connection closes (its guard tells): no close-future listeners per connection.
        ConnectionGuard.Closed closed = (ch, admitted) -> {
            connections.remove(ch);
            if (admitted != null) gate.leave(admitted);
        };

        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NetworkTransport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_SNDBUF, config.limits().socketSendBuffer() > 0
                        ? config.limits().socketSendBuffer() : null)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                // One receive-size policy for every connection (each still has its own handle): not one each.
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        long now = System.nanoTime();
                        ConnectionGuard guard = new ConnectionGuard(limits, now, traffic, closed);
                        ch.pipeline().addLast("guard", guard);
                        // TLS next: every door is the same HTTP/1.1 underneath.
                        if (tls != null) ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                        ch.pipeline().addLast("http", new HttpServerCodec(limits.maxUrlBytes(), limits.maxHeaderBytes(), 64 * 1024));
                        if (config.accessLog()) ch.pipeline().addLast("access", new AccessLog());
                        InetAddress ip = ch.remoteAddress().getAddress();
                        SwitchboardException refused = gate.admit(ip, now);
                        if (refused != null) {
                            metrics.refused(refused.status());
                            ch.pipeline().addLast("refuse", new Refusal(refused));
                            return;
                        }
                        guard.admitted(ip);
                        ch.pipeline()
                                .addLast("body", new BodyLimit(config.maxBodyBytes(), metrics))
                                .addLast("dispatch", dispatcher);
                    }
                });
        workerGroup.next().scheduleAtFixedRate(new IdleSweep(connections::forEach, gate, limits, metrics),
                1, 1, TimeUnit.SECONDS);
        serverChannel = b.bind(new InetSocketAddress(config.host(), config.port())).sync().channel();
        if (broker instanceof MemoryBroker memory) {
            long every = Math.max(1, Math.min(60, config.history().maxAge().toSeconds()));
            workerGroup.next().scheduleAtFixedRate(memory::sweep, every, every, TimeUnit.SECONDS);
        }
        log.info("switchboard bound to {} using {}", serverChannel.localAddress(), NetworkTransport.name());
    }

    /**
     * Puts CORS preflight handling ({@link Preflight}) in front of every door a page reaches by
     * {@code fetch}, {@code EventSource} or a script tag, so each answers {@code OPTIONS} before its own
     * method check. Doors not (yet) routed are skipped.
     */
    private void browserDoors(Map<String, Route> exact) {
        for (String path : BROWSER_DOORS) {
            HttpMethod method = path.equals("/send") ? HttpMethod.POST : HttpMethod.GET;
            exact.computeIfPresent(path, (p, route) -> Preflight.wrap(p.substring(1), method, route, context.cors(), metrics));
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public String host() {
        return config.host();
    }

    /** {@code http://HOST:PORT} */
    public String baseUrl() {
        String h = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return (tls != null ? "https://" : "http://") + h + ":" + port();
    }

    public Hub hub() {
        return hub;
    }

    public Metrics metrics() {
        return metrics;
    }

    public ServerContext context() {
        return context;
    }

    /** The connection gate (for tests: admitted connections, remembered addresses). */
    public ConnectionGate gate() {
        return gate;
    }

    public ServerConfig config() {
        return config;
    }

    /**
     * Graceful stop: stop accepting, tell every client to go (WebSockets close {@code 4503}, streams end),
     * wait up to the configured grace for them to leave, then close what is left and release threads.
     */
    @Override
    public void close() {
        if (!stopped.compareAndSet(false, true)) return;
        stopAcceptingAndTellClients();
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        while (connections.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10); // polling a count; nothing to wait on that would be simpler
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        connections.closeAll();
        context.sessions().endAll();
        shutdownGroups();
        events.close(); // after the doors: the drain's session_disconnected events still go out
        hub.close();
        broker.close();
    }

    /**
     * What a graceful stop does first, without exiting ({@code POST /api/drain}, a rolling restart): stop
     * accepting, mark the node not ready, tell every client to reconnect elsewhere. Returns how many
     * connections were told. Not on an event loop: it waits for the listening socket to close.
     */
    public int drain() {
        return stopAcceptingAndTellClients();
    }

    private int stopAcceptingAndTellClients() {
        draining.set(true);
        if (serverChannel != null) serverChannel.close().awaitUninterruptibly();
        int told = connections.size();
        connections.drainAll(); // each door's drain action is idempotent: a second drain changes nothing
        return told;
    }

    private void shutdownGroups() {
        bossGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workerGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
