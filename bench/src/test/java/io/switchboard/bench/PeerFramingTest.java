package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The peers' framings as the generator speaks them, without the peers (the suite must not need Node or
 * nginx): Engine.IO v4 over WebSocket for Socket.IO, Last-Modified/Etag resumption for Nchan's long-poll,
 * and Switchboard's long-poll cursor and session.
 */
class PeerFramingTest {
    private final Stats stats = new Stats();

    private Conn conn(String channel) {
        return new Conn(0, 0, channel, Door.WS, 1, stats);
    }

    /** Feeds {@code text} to the target as a received frame on an embedded channel; returns whether it was control. */
    private static boolean receive(Target target, Conn conn, EmbeddedChannel ch, String text) {
        ChannelHandlerContext ctx = ch.pipeline().firstContext();
        var buf = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        try {
            return target.wsText(ctx, conn, buf);
        } finally {
            buf.release();
        }
    }

    private static String written(EmbeddedChannel ch) {
        TextWebSocketFrame frame = ch.readOutbound();
        if (frame == null) return null;
        try {
            return frame.text();
        } finally {
            frame.release();
        }
    }

    @Test
    void socketIoOpensConnectsJoinsAndAnswersPings() {
        Target target = Target.of("socketio", "127.0.0.1", 1, null);
        Conn conn = conn("room-7");
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter());

        assertThat(receive(target, conn, ch, "0{\"sid\":\"a\",\"pingInterval\":25000,\"pingTimeout\":20000}")).isTrue();
        assertThat(written(ch)).isEqualTo("40");
        assertThat(receive(target, conn, ch, "40{\"sid\":\"b\"}")).isTrue();
        assertThat(written(ch)).isEqualTo("42[\"join\",\"room-7\"]");
        assertThat(receive(target, conn, ch, "2")).isTrue();
        assertThat(written(ch)).isEqualTo("3");
        assertThat(receive(target, conn, ch, "42[\"m\",{\"bm\":[0,1,2,3]}]")).as("an event is data").isFalse();
        assertThat(written(ch)).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void nchanLongPollResumesFromTheLastAnswer() {
        Target target = Target.of("nchan", "127.0.0.1", 1, null);
        Conn conn = conn("c1");
        FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        answer.headers().set(HttpHeaderNames.LAST_MODIFIED, "Tue, 24 Nov 2026 15:00:00 GMT");
        answer.headers().set(HttpHeaderNames.ETAG, "3");
        try {
            assertThat(target.nextPoll(conn, answer)).isEqualTo("/sub/c1");
        } finally {
            answer.release();
        }
        HttpHeaders next = new DefaultHttpHeaders();
        target.pollHeaders(conn, next);
        assertThat(next.get(HttpHeaderNames.IF_MODIFIED_SINCE)).isEqualTo("Tue, 24 Nov 2026 15:00:00 GMT");
        assertThat(next.get(HttpHeaderNames.IF_NONE_MATCH)).isEqualTo("3");
        assertThat(target.firstPollWaits()).isTrue();
    }

    @Test
    void switchboardLongPollCarriesCursorAndSession() {
        Target target = Target.of("switchboard", "127.0.0.1", 1, "k");
        Conn conn = conn("news");
        FullHttpResponse answer = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("{\"messages\":[],\"cursor\":\"q7Zc:42\",\"session\":\"s-1\"}", StandardCharsets.UTF_8));
        try {
            assertThat(target.nextPoll(conn, answer)).isEqualTo("/poll?channel=news&wait=25&since=q7Zc:42&session=s-1");
        } finally {
            answer.release();
        }
        assertThat(target.subscribePath(Door.LONGPOLL, "news")).isEqualTo("/poll?channel=news&wait=0");
        assertThat(target.firstPollWaits()).isFalse();
    }
}
