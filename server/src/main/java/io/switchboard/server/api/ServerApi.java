package io.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.ServerContext;
import io.switchboard.server.auth.UserSessions;
import io.switchboard.server.codec.Json;
import io.switchboard.server.http.JsonAnswer;
import io.switchboard.server.http.QueryParams;
import io.switchboard.server.http.Route;
import io.switchboard.server.metrics.Metrics;
import java.util.function.IntSupplier;

/**
 * The server API for backends, mounted on {@code /api/} (PROTOCOL.md "Server API"). Finds the endpoint
 * of a path, then checks in PROTOCOL.md's order: path ({@code 404}), method ({@code 405} with
 * {@code Allow}), API key ({@code 401} with {@code WWW-Authenticate}), input ({@code 400}/{@code 413}).
 * Presence and disconnect arrive with tokens and sessions (issue #6); until then they are unknown paths.
 *
 * <p>Runs on the connection's event loop and never blocks it: answers that need the Broker are written
 * when its stage completes. Every refusal is answered and counted by {@link JsonAnswer}.
 */
public final class ServerApi implements Route {
    /** The metrics label of every refusal the server API gives. */
    static final String DOOR = "api";
    private static final String PREFIX = "/api/";

    /** What a path asks for; {@code channel} is still %-encoded, decoded only once credentials passed. */
    private enum Endpoint {
        PUBLISH(HttpMethod.POST), BATCH(HttpMethod.POST), CHANNELS(HttpMethod.GET), CHANNEL(HttpMethod.GET),
        HISTORY(HttpMethod.GET), PRESENCE(HttpMethod.GET), DISCONNECT(HttpMethod.POST), DRAIN(HttpMethod.POST),
        STATS(HttpMethod.GET);

        final HttpMethod method;

        Endpoint(HttpMethod method) {
            this.method = method;
        }
    }

    private record Target(Endpoint endpoint, String rawChannel) {}

    private final Metrics metrics;
    private final ApiKey key;
    private final PublishEndpoints publish;
    private final ChannelEndpoints channels;
    private final UserSessions users;
    private final IntSupplier drain;
    private final ServerContext context;

    /**
     * @param drain the node's drain: stop accepting and tell every client to go, without exiting; returns
     *              how many connections were told
     */
    public ServerApi(ServerContext context, IntSupplier drain) {
        this.drain = drain;
        this.context = context;
        this.metrics = context.metrics();
        this.key = new ApiKey(context.config().apiKey());
        this.publish = new PublishEndpoints(context.hub(), context.metrics());
        this.channels = new ChannelEndpoints(context.hub());
        this.users = context.users();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        JsonAnswer answer = new JsonAnswer(ctx, request, metrics, DOOR, null);
        Target target = target(new QueryStringDecoder(request.uri()).rawPath());
        if (target == null) {
            answer.error(new SwitchboardException(404, "not_found", "no such server API path"));
            return;
        }
        if (!request.method().equals(target.endpoint.method)) {
            HttpHeaders allow = new DefaultHttpHeaders().set(HttpHeaderNames.ALLOW, target.endpoint.method.name());
            answer.error(new SwitchboardException(405, "method_not_allowed",
                    "use " + target.endpoint.method.name()), allow);
            return;
        }
        try {
            key.check(request);
        } catch (SwitchboardException e) {
            answer.error(e, new DefaultHttpHeaders().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"switchboard\""));
            return;
        }
        try {
            switch (target.endpoint) {
                case PUBLISH -> publish.publish(answer, body(request));
                case BATCH -> publish.batch(answer, body(request));
                case CHANNELS -> channels.list(answer, QueryParams.parse(request.uri()));
                case CHANNEL -> channels.info(answer, channel(target.rawChannel));
                case PRESENCE -> channels.presence(answer, channel(target.rawChannel));
                case DISCONNECT -> disconnect(answer, body(request));
                case DRAIN -> drain(ctx, answer);
                case STATS -> new StatsEndpoint(context.hub(), metrics, context.clock()).stats(answer);
                case HISTORY -> {
                    String channel = channel(target.rawChannel); // before the query: a bad name says so
                    channels.history(answer, channel, QueryParams.parse(request.uri()));
                }
            }
        } catch (SwitchboardException e) {
            answer.error(e);
        }
    }

    /**
     * {@code POST /api/disconnect {"user":…}} → {@code {"user":…,"sessions":n}}: ends every session of the
     * user on this node (WebSocket {@code 4410}, streams an {@code error} item 410, HTTP sessions end).
     */
    private void disconnect(JsonAnswer answer, JsonNode body) {
        if (body == null || !body.isObject()) throw SwitchboardException.badRequest("bad_json", "the body is one JSON object, {\"user\":…}");
        JsonNode user = body.get("user");
        if (user == null || !user.isTextual() || user.textValue().isEmpty()) {
            throw SwitchboardException.badRequest("bad_field", "user must be a non-empty string");
        }
        int sessions = users.disconnect(user.textValue());
        ObjectNode out = Json.object();
        out.put("user", user.textValue());
        out.put("sessions", sessions);
        answer.ok(Json.bytes(out));
    }

    /**
     * {@code POST /api/drain} → {@code {"draining":true,"connections":n}}: what a graceful stop does, without
     * exiting (a rolling restart's first step): stop accepting, tell every client to reconnect elsewhere.
     * Answered first, on a connection that then closes, since this connection is one of those told to go.
     */
    private void drain(ChannelHandlerContext ctx, JsonAnswer answer) {
        ctx.channel().closeFuture().addListener(f -> {
            // Off the event loop: draining waits for the listening socket to close.
            Thread t = new Thread(drain::getAsInt, "switchboard-drain");
            t.setDaemon(true);
            t.start();
        });
        ObjectNode out = Json.object();
        out.put("draining", true);
        out.put("connections", context.connections().size());
        answer.okAndClose(Json.bytes(out));
    }

    /** The endpoint of a raw (still %-encoded) path, or null: split first, so {@code %2F} is no separator. */
    private static Target target(String rawPath) {
        if (!rawPath.startsWith(PREFIX)) return null;
        String[] parts = rawPath.substring(PREFIX.length()).split("/", -1);
        switch (parts.length) {
            case 1:
                if (parts[0].equals("publish")) return new Target(Endpoint.PUBLISH, null);
                if (parts[0].equals("batch")) return new Target(Endpoint.BATCH, null);
                if (parts[0].equals("channels")) return new Target(Endpoint.CHANNELS, null);
                if (parts[0].equals("disconnect")) return new Target(Endpoint.DISCONNECT, null);
                if (parts[0].equals("drain")) return new Target(Endpoint.DRAIN, null);
                if (parts[0].equals("stats")) return new Target(Endpoint.STATS, null);
                return null;
            case 2:
                return parts[0].equals("channels") ? new Target(Endpoint.CHANNEL, parts[1]) : null;
            case 3:
                if (!parts[0].equals("channels")) return null;
                if (parts[2].equals("history")) return new Target(Endpoint.HISTORY, parts[1]);
                if (parts[2].equals("presence")) return new Target(Endpoint.PRESENCE, parts[1]);
                return null;
            default:
                return null;
        }
    }

    /** Decodes one path segment ({@code +} stays {@code +}); the name itself is checked by the endpoint. */
    private static String channel(String raw) {
        try {
            return new QueryStringDecoder(raw).path();
        } catch (IllegalArgumentException e) {
            throw SwitchboardException.badRequest("bad_channel", "the channel in the path is not well %-encoded");
        }
    }

    /** The body as one JSON value, numbers kept exact; read now, as the request is released on return. */
    private static JsonNode body(FullHttpRequest request) {
        ByteBuf content = request.content();
        if (content.hasArray()) {
            return Json.parse(content.array(), content.arrayOffset() + content.readerIndex(),
                    content.readableBytes());
        }
        byte[] bytes = ByteBufUtil.getBytes(content);
        return Json.parse(bytes, 0, bytes.length);
    }
}
