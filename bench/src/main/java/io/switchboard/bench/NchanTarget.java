package io.switchboard.bench;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.EnumSet;
import java.util.Set;

/**
 * Nchan (bench/peers/nchan/nginx.conf): subscribers on {@code /sub/CHANNEL} (WebSocket, EventSource or
 * plain GET long-poll, which resumes with the previous answer's Last-Modified and Etag), publishes
 * with {@code POST /pub/CHANNEL}; messages arrive as the raw published body.
 */
final class NchanTarget extends Target {
    NchanTarget(String host, int port) {
        super("nchan", host, port);
    }

    @Override
    Set<Door> doors() {
        return EnumSet.of(Door.WS, Door.SSE, Door.LONGPOLL);
    }

    @Override
    String subscribePath(Door door, String channel) {
        return "/sub/" + channel;
    }

    @Override
    String nextPoll(Conn conn, FullHttpResponse answer) {
        String modified = answer.headers().get(HttpHeaderNames.LAST_MODIFIED);
        String etag = answer.headers().get(HttpHeaderNames.ETAG);
        if (modified != null) conn.pollA = modified;
        if (etag != null) conn.pollB = etag;
        return "/sub/" + conn.channelName;
    }

    @Override
    boolean firstPollWaits() {
        return true;
    }

    @Override
    void pollHeaders(Conn conn, HttpHeaders headers) {
        if (conn.pollA != null) headers.set(HttpHeaderNames.IF_MODIFIED_SINCE, conn.pollA);
        if (conn.pollB != null) headers.set(HttpHeaderNames.IF_NONE_MATCH, conn.pollB);
    }

    @Override
    String publishPath(String channel) {
        return "/pub/" + channel;
    }

    @Override
    String publishBody(String channel, String payloadJson) {
        return payloadJson;
    }
}
