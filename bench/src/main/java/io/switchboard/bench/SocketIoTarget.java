package io.switchboard.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.EnumSet;
import java.util.Set;

/**
 * Socket.IO 4 (bench/peers/socketio/server.js) over its WebSocket transport, spoken as Engine.IO v4
 * packets: the server opens with {@code 0{…}}, the client connects the default namespace with
 * {@code 40}, joins its room with the event {@code 42["join","ROOM"]}, and answers every ping {@code 2}
 * with a pong {@code 3}. Messages arrive as {@code 42["m",DATA]}; publishes go to the script's
 * {@code POST /publish?room=ROOM}.
 */
final class SocketIoTarget extends Target {
    SocketIoTarget(String host, int port) {
        super("socketio", host, port);
    }

    @Override
    Set<Door> doors() {
        return EnumSet.of(Door.WS);
    }

    @Override
    String subscribePath(Door door, String channel) {
        return "/socket.io/?EIO=4&transport=websocket";
    }

    @Override
    boolean wsText(ChannelHandlerContext ctx, Conn conn, ByteBuf text) {
        int n = text.readableBytes();
        if (n == 0) return true;
        byte type = text.getByte(text.readerIndex());
        if (type == '0') { // Engine.IO open: connect the default namespace
            ctx.writeAndFlush(new TextWebSocketFrame("40"));
            return true;
        }
        if (type == '2' && n == 1) { // ping
            ctx.writeAndFlush(new TextWebSocketFrame("3"));
            return true;
        }
        if (type == '4' && n >= 2 && text.getByte(text.readerIndex() + 1) == '0') { // namespace connected
            ctx.writeAndFlush(new TextWebSocketFrame("42[\"join\",\"" + conn.channelName + "\"]"));
            return true;
        }
        return false;
    }

    @Override
    String publishPath(String channel) {
        return "/publish?room=" + channel;
    }

    @Override
    String publishBody(String channel, String payloadJson) {
        return payloadJson;
    }
}
