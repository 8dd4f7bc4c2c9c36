package io.switchboard.server.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.ServerContext;
import io.switchboard.server.http.Route;

/** Placeholder until this door lands. */
public final class ServerApi implements Route {
    private final ServerContext context;

    public ServerApi(ServerContext context) {
        this.context = context;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        throw new SwitchboardException(503, "not_built", "this door is not built yet: " + context.config().port());
    }
}
