package io.switchboard.bench.baseline;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.util.List;

/** The baseline's routes: {@code /ws}, {@code /sse}, {@code POST /publish}; then incoming WebSocket frames. */
final class BaselineHandler extends SimpleChannelInboundHandler<Object> {
    private final BaselineServer server;

    BaselineHandler(BaselineServer server) {
        this.server = server;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame frame) {
            if (frame instanceof CloseWebSocketFrame) ctx.close();
            else if (frame instanceof PingWebSocketFrame) ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            return;
        }
        if (!(msg instanceof FullHttpRequest request)) return;
        QueryStringDecoder q = new QueryStringDecoder(request.uri());
        List<String> channels = q.parameters().get("channel");
        String channel = channels == null ? null : channels.get(0);
        if (channel == null) {
            answer(ctx, request, HttpResponseStatus.BAD_REQUEST);
        } else if (q.path().equals("/publish") && request.method() == HttpMethod.POST) {
            server.publish(channel, ByteBufUtil.getBytes(request.content()));
            answer(ctx, request, HttpResponseStatus.OK);
        } else if (q.path().equals("/ws")) {
            WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(
                    "ws://" + request.headers().get(HttpHeaderNames.HOST) + "/ws", null, false).newHandshaker(request);
            if (hs == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            hs.handshake(ctx.channel(), request).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) server.subscribe(ctx.channel(), channel, true);
            });
        } else if (q.path().equals("/sse")) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
            head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            ctx.writeAndFlush(head);
            // From here the pre-framed chunks go to the socket as they are: no HTTP encoder per event.
            ctx.pipeline().remove(HttpObjectAggregator.class);
            ctx.pipeline().remove(HttpServerCodec.class);
            server.subscribe(ctx.channel(), channel, false);
        } else {
            answer(ctx, request, HttpResponseStatus.NOT_FOUND);
        }
    }

    private static void answer(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (keepAlive) ctx.writeAndFlush(response);
        else ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
