package io.switchboard.server.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.ServerContext;
import io.switchboard.server.codec.Json;
import io.switchboard.server.http.HttpResponses;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (it should get traffic: broker healthy and not
 * draining) and {@code /metrics} (Prometheus text). Open to anyone, like a load balancer's probe.
 */
public final class HealthRoutes {
    private final ServerContext context;
    private final BooleanSupplier draining;

    public HealthRoutes(ServerContext context, BooleanSupplier draining) {
        this.context = context;
        this.draining = draining;
    }

    public void healthz(ChannelHandlerContext ctx, FullHttpRequest request) {
        requireGet(request);
        HttpResponses.sendJson(ctx, request, HttpResponseStatus.OK, Json.bytes(Json.object().put("status", "ok")), null);
    }

    public void readyz(ChannelHandlerContext ctx, FullHttpRequest request) {
        requireGet(request);
        boolean brokerOk = context.hub().broker().healthy();
        boolean drain = draining.getAsBoolean();
        var body = Json.object().put("status", brokerOk && !drain ? "ready" : "not_ready")
                .put("broker", brokerOk ? "ok" : "down").put("draining", drain);
        HttpResponses.sendJson(ctx, request, brokerOk && !drain ? HttpResponseStatus.OK
                : HttpResponseStatus.SERVICE_UNAVAILABLE, Json.bytes(body), null);
    }

    public void metrics(ChannelHandlerContext ctx, FullHttpRequest request) {
        requireGet(request);
        HttpResponses.sendText(ctx, request, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                context.metrics().scrape());
    }

    static void requireGet(FullHttpRequest request) {
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            throw new SwitchboardException(405, "method_not_allowed", "use GET");
        }
    }
}
