package io.switchboard.bench;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

/** Switchboard's native protocol on every door; publishes with {@code POST /api/publish} and the API key. */
final class SwitchboardTarget extends Target {
    private final String apiKey;

    SwitchboardTarget(String name, String host, int port, String apiKey) {
        super(name, host, port);
        this.apiKey = apiKey;
    }

    @Override
    Set<Door> doors() {
        return EnumSet.allOf(Door.class);
    }

    @Override
    String subscribePath(Door door, String channel) {
        return switch (door) {
            case WS -> "/ws";
            case SSE -> "/sse?channel=" + channel;
            case STREAM -> "/stream?channel=" + channel;
            case LONGPOLL -> "/poll?channel=" + channel + "&wait=0";
        };
    }

    @Override
    void wsOpened(ChannelHandlerContext ctx, Conn conn) {
        ctx.writeAndFlush(new TextWebSocketFrame("{\"op\":\"subscribe\",\"channel\":\"" + conn.channelName + "\"}"));
    }

    @Override
    String nextPoll(Conn conn, FullHttpResponse answer) {
        String body = answer.content().toString(StandardCharsets.UTF_8);
        String cursor = stringField(body, "cursor");
        String session = stringField(body, "session");
        if (cursor != null) conn.pollA = cursor;
        if (session != null) conn.pollB = session;
        StringBuilder path = new StringBuilder("/poll?channel=").append(conn.channelName).append("&wait=25");
        if (conn.pollA != null) path.append("&since=").append(conn.pollA);
        if (conn.pollB != null) path.append("&session=").append(conn.pollB);
        return path.toString();
    }

    /** The value of {@code "name":"…"} at the top of a small answer (cursors and session ids need no escaping). */
    static String stringField(String json, String name) {
        String key = "\"" + name + "\":\"";
        int at = json.lastIndexOf(key);
        if (at < 0) return null;
        int start = at + key.length();
        int end = json.indexOf('"', start);
        return end < 0 ? null : json.substring(start, end);
    }

    @Override
    String publishPath(String channel) {
        return "/api/publish";
    }

    @Override
    String publishBody(String channel, String payloadJson) {
        return "{\"channel\":\"" + channel + "\",\"data\":" + payloadJson + "}";
    }

    @Override
    void publishHeaders(HttpHeaders headers) {
        headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + apiKey);
        headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    }
}
