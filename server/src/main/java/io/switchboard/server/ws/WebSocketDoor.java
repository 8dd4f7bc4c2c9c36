package io.switchboard.server.ws;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.switchboard.core.auth.Identity;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.ServerContext;
import io.switchboard.server.limit.Backlog;
import io.switchboard.server.limit.ConnectionGuard;
import io.switchboard.server.http.QueryParams;
import io.switchboard.server.http.Route;

/**
 * The WebSocket door, {@code GET /ws[?token=T]}: checks the request, performs the upgrade and hands the
 * connection to a {@link WsSession}, which speaks PROTOCOL.md's JSON frames from then on.
 *
 * <p>Refusals are HTTP answers, checked in PROTOCOL.md's order: another method is a {@code 405}, an
 * Origin that {@link io.switchboard.server.http.OriginPolicy} does not allow a {@code 403} (cross-site
 * WebSocket hijacking), a GET that is not an upgrade a {@code 400}, a WebSocket version other than 13
 * Netty's {@code 426} (with the {@code Sec-WebSocket-Version} it wants).
 *
 * <p>After the upgrade the pipeline is only the connection guard and the session: the session reads and
 * writes frames itself ({@link FrameReader}, {@link io.switchboard.server.codec.WebSocketFrames}), checks
 * UTF-8 and puts fragmented messages together (rare), instead of a decoder, encoder, UTF-8 validator and
 * aggregator handler on every connection; it closes with our own codes ({@code 4400}, {@code 4413}).
 */
public final class WebSocketDoor implements Route {
    private final ServerContext context;
    private final WebSocketDecoderConfig decoderConfig;
    /** The slow-consumer policy of every session, shared. */
    private final Backlog.Policy backlog;

    public WebSocketDoor(ServerContext context) {
        this.context = context;
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(context.config().maxBodyBytes())
                .allowExtensions(false)
                .closeOnProtocolViolation(false)
                .build();
        this.backlog = new Backlog.Policy(context.config().limits(), context.access(), context.metrics(), "ws");
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.method().equals(HttpMethod.GET)) {
            throw new SwitchboardException(405, "method_not_allowed", "use GET with a WebSocket upgrade");
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (!context.origins().allows(origin, request.headers().get(HttpHeaderNames.HOST))) {
            throw new SwitchboardException(403, "forbidden", "WebSocket connections from this origin are not allowed");
        }
        if (!isUpgrade(request)) {
            throw SwitchboardException.badRequest("bad_request", "GET /ws takes a WebSocket upgrade");
        }
        // A bad token still gets the upgrade, then 4401: a browser cannot read a refused upgrade's status.
        Identity identity = Identity.ANONYMOUS;
        SwitchboardException refusedToken = null;
        try {
            identity = context.auth().identify(request, QueryParams.parse(request.uri()));
        } catch (SwitchboardException e) {
            if (e.status() != 401) throw e;
            refusedToken = e;
        }

        Channel ch = ctx.channel();
        // RFC 6455 (version 13) only: Netty would also speak the drafts, which no browser has used in a decade.
        WebSocketServerHandshaker handshaker = !"13".equals(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))
                ? null
                : new WebSocketServerHandshakerFactory(webSocketUrl(request), null, decoderConfig).newHandshaker(request);
        if (handshaker == null) {
            context.metrics().error("ws", 426);
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ch);
            return;
        }
        WsSession session = new WsSession(context, backlog, ch, identity);
        // No client frame is read before the welcome is sent (the upgrade answer must be out first).
        ch.config().setAutoRead(false);
        ChannelFuture upgraded;
        try {
            upgraded = handshaker.handshake(ch, request);
        } catch (WebSocketHandshakeException e) {
            ch.config().setAutoRead(true);
            throw SwitchboardException.badRequest("bad_request", "the WebSocket upgrade request is malformed");
        }
        ConnectionGuard guard = ConnectionGuard.of(ch);
        if (guard != null) guard.upgraded();
        ChannelPipeline p = ch.pipeline();
        if (p.get("body") != null) p.remove("body");
        if (p.get("access") != null) p.remove("access"); // the 101 is logged; the session logs its own end
        p.remove("dispatch");
        // The session reads and writes frames as bytes itself (FrameReader, codec.WebSocketFrames): no
        // decoder and encoder handlers per connection. The handshaker's checks of the upgrade still apply.
        if (p.get("wsencoder") != null) p.remove("wsencoder");
        if (p.get("wsdecoder") != null) p.remove("wsdecoder");
        // No UTF-8 validator or aggregator handlers: the session does both (RFC 6455 §8.1, 4400; 4413).
        p.addLast("ws-session", session);
        SwitchboardException refused = refusedToken;
        upgraded.addListener(f -> {
            if (f.isSuccess()) {
                session.start(refused);
                ch.config().setAutoRead(true);
            } else {
                ch.close();
            }
        });
    }

    private static boolean isUpgrade(HttpRequest request) {
        return request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    /** The URL the handshaker reports; only informative, since the Origin check is ours. */
    private static String webSocketUrl(HttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        return "ws://" + host + "/ws";
    }
}
