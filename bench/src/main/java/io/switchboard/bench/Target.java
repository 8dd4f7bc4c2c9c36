package io.switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Locale;
import java.util.Set;

/**
 * A server under test and how the generator speaks to it: the URLs of its doors, what a WebSocket
 * client sends after the upgrade, how a long-poller asks for the next answer, and how a publisher
 * publishes. One subclass per server: Switchboard, the bare Netty baseline, Socket.IO and Nchan.
 */
public abstract class Target {
    final String name;
    final String host;
    final int port;
    /** Where publishers connect: the subscribers' port, or another node of the same cluster. */
    int publishPort;

    Target(String name, String host, int port) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.publishPort = port;
    }

    public static Target of(String name, String host, int port, String apiKey) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "switchboard" -> new SwitchboardTarget("switchboard", host, port, apiKey);
            // Two nodes over Redis: subscribers on one, publishers on the other (--publish-port).
            case "switchboard-redis" -> new SwitchboardTarget("switchboard-redis", host, port, apiKey);
            case "baseline" -> new BaselineTarget(host, port);
            case "socketio" -> new SocketIoTarget(host, port);
            case "nchan" -> new NchanTarget(host, port);
            default -> throw new IllegalArgumentException("unknown target: " + name);
        };
    }

    /** Publishers connect to {@code port} instead of the subscribers' port. */
    public Target publishingTo(int port) {
        this.publishPort = port;
        return this;
    }

    public String name() {
        return name;
    }

    /** The doors this server has. */
    abstract Set<Door> doors();

    /** Path and query of a subscriber's first request on {@code door}. */
    abstract String subscribePath(Door door, String channel);

    /** Called once the WebSocket upgrade is done: send what subscribes, if anything. */
    void wsOpened(ChannelHandlerContext ctx, Conn conn) {}

    /**
     * A text frame arrived (the caller releases it). Returns true when it was a control frame this
     * target answered (a Socket.IO ping, …) rather than data.
     */
    boolean wsText(ChannelHandlerContext ctx, Conn conn, ByteBuf text) {
        return false;
    }

    /** The next long-poll's path and query, after an answer (null: the first request). */
    String nextPoll(Conn conn, FullHttpResponse answer) {
        throw new UnsupportedOperationException(name + " has no long-poll door");
    }

    /** True when the first long-poll is held until a message (Nchan): the subscription starts when it is sent. */
    boolean firstPollWaits() {
        return false;
    }

    /** Headers the next long-poll carries (Nchan's If-Modified-Since / If-None-Match). */
    void pollHeaders(Conn conn, HttpHeaders headers) {}

    /** Path and query of a publish to {@code channel}. */
    abstract String publishPath(String channel);

    /** Body of a publish of {@code payloadJson} to {@code channel}. */
    abstract String publishBody(String channel, String payloadJson);

    /** Extra publish headers (the API key). */
    void publishHeaders(HttpHeaders headers) {}
}
