package io.switchboard.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/** Answers the requests of one path. Runs on the connection's event loop. */
@FunctionalInterface
public interface Route {
    /**
     * Handles {@code request}. The caller releases the request after this returns: a route that keeps
     * it (or its content) longer must {@code retain()} it and release it itself.
     *
     * <p>May throw {@link io.switchboard.core.error.SwitchboardException}: the dispatcher answers it
     * as an HTTP error. Any other exception is answered as a 500 with no detail, and logged.
     */
    void handle(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception;
}
