package io.switchboard.bench;

import java.util.EnumSet;
import java.util.Set;

/** The bare Netty baseline ({@link io.switchboard.bench.baseline.BaselineServer}): WebSocket and SSE. */
final class BaselineTarget extends Target {
    BaselineTarget(String host, int port) {
        super("baseline", host, port);
    }

    @Override
    Set<Door> doors() {
        return EnumSet.of(Door.WS, Door.SSE);
    }

    @Override
    String subscribePath(Door door, String channel) {
        return (door == Door.WS ? "/ws" : "/sse") + "?channel=" + channel;
    }

    @Override
    String publishPath(String channel) {
        return "/publish?channel=" + channel;
    }

    @Override
    String publishBody(String channel, String payloadJson) {
        return payloadJson;
    }
}
