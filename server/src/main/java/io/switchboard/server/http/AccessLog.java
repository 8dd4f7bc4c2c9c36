package io.switchboard.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: one line per HTTP request when its answer ends (or its connection does, for streams the
 * client left), on the logger {@code switchboard.access}, as {@code key=value} fields a log pipeline can
 * parse: {@code method path status bytes ms ip}. The query string is never logged: tokens travel there.
 * WebSocket sessions log their own line when they end ({@code ws.WsSession}).
 *
 * <p>One per connection, between the HTTP codec and the doors; confined to the connection's loop. Only
 * one request is in flight per connection (pipelined ones wait in {@link Parking}), so one set of fields.
 */
public final class AccessLog extends ChannelDuplexHandler {
    /** The logger's name: set it to WARN in logback to silence the access log. */
    public static final String LOGGER = "switchboard.access";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private String method;
    private String path;
    private long started;
    private int status;
    private long bytes;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && method == null) {
            method = request.method().name();
            String uri = request.uri();
            int q = uri.indexOf('?');
            path = q < 0 ? uri : uri.substring(0, q);
            started = System.nanoTime();
            status = 0;
            bytes = 0;
        }
        ctx.fireChannelRead(msg); // not ours: passed on as it came
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) status = response.status().code();
        if (msg instanceof HttpContent content) bytes += content.content().readableBytes();
        boolean last = msg instanceof LastHttpContent;
        ctx.write(msg, promise); // not ours: passed on as it came
        if (last) done(ctx, false);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (method != null) done(ctx, true);
        ctx.fireChannelInactive();
    }

    /** Logs the request that just ended; {@code cut}: the connection closed before its answer ended. */
    private void done(ChannelHandlerContext ctx, boolean cut) {
        if (method == null) {
            // An answer to no request we saw (a refusal before the request was read): log it as such.
            method = "-";
            path = "-";
            started = System.nanoTime();
        }
        if (log.isInfoEnabled()) {
            long ms = (System.nanoTime() - started) / 1_000_000;
            log.info("method={} path={} status={} bytes={} ms={} ip={}{}", method, safe(path), status, bytes, ms,
                    ip(ctx), cut ? " ended=client" : "");
        }
        method = null;
    }

    public static String ip(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "-";
    }

    /** The path as one field: at most 200 characters, no spaces or control characters (log injection). */
    static String safe(String path) {
        StringBuilder sb = new StringBuilder(Math.min(path.length(), 200));
        for (int i = 0; i < path.length() && sb.length() < 200; i++) {
            char c = path.charAt(i);
            sb.append(c <= ' ' || c == 0x7f ? '_' : c);
        }
        return sb.toString();
    }
}
