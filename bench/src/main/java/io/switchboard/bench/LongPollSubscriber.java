package io.switchboard.bench;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.TimeUnit;

/**
 * A long-poller on one keep-alive connection: asks, scans the answer for markers, asks again at once
 * with the state the target carries (Switchboard's cursor and session, Nchan's Last-Modified/Etag).
 * A 304 or 408 (a poll that timed out) asks again; any other refusal is an error, retried after 100 ms.
 */
final class LongPollSubscriber extends SimpleChannelInboundHandler<FullHttpResponse> {
    private final Target target;
    private final Conn conn;
    private final Stats stats;
    private final String firstPath;

    LongPollSubscriber(Target target, Conn conn, Stats stats, String firstPath) {
        this.target = target;
        this.conn = conn;
        this.stats = stats;
        this.firstPath = firstPath;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        send(ctx, firstPath);
        if (target.firstPollWaits()) conn.connected();
        super.channelActive(ctx);
    }

    private void send(ChannelHandlerContext ctx, String path) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        request.headers().set(HttpHeaderNames.HOST, target.host + ":" + target.port);
        target.pollHeaders(conn, request.headers());
        stats.polls.increment();
        ctx.writeAndFlush(request);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse answer) {
        int status = answer.status().code();
        if (status == 200) {
            conn.connected();
            conn.scanner.reset();
            conn.scanner.scan(answer.content());
            send(ctx, target.nextPoll(conn, answer));
        } else if (status == 304 || status == 408) {
            send(ctx, target.nextPoll(conn, answer));
        } else {
            stats.error("poll-status-" + status);
            String next = target.nextPoll(conn, answer);
            ctx.executor().schedule(() -> send(ctx, next), 100, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        Subscribers.closed(conn, stats);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        stats.error("poll-" + cause.getClass().getSimpleName());
        ctx.close();
    }
}
