package io.switchboard.server.stream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.auth.Identity;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.message.Cursor;
import io.switchboard.server.ServerContext;
import io.switchboard.server.http.CallbackName;
import io.switchboard.server.http.ChannelParams;
import io.switchboard.server.http.HttpResponses;
import io.switchboard.server.http.QueryParams;
import io.switchboard.server.http.Route;
import io.switchboard.server.session.Sessions;
import java.util.List;

/**
 * The Comet streaming doors: HTTP streaming, {@code GET /stream?channel=C…[&since=CURSOR][&session=ID]},
 * and the forever iframe, {@code GET /iframe?channel=C…&callback=F[&since=CURSOR][&session=ID]} — the same
 * door with two framings ({@link StreamFraming}).
 *
 * <p>Checks in PROTOCOL.md's order — method, channels and access to them, then the rest of the input
 * (callback, cursor, session) — then hands the connection to a {@link StreamAnswer} attached to the
 * client's session, or to a fresh one. Refusals carry CORS headers so a page's {@code fetch} can read why;
 * iframe callers cannot, but the status holds, and a bad callback is never written back.
 */
public final class StreamDoor implements Route {
    private final ServerContext context;
    private final boolean iframe;
    private final String door;

    private StreamDoor(ServerContext context, boolean iframe) {
        this.context = context;
        this.iframe = iframe;
        this.door = iframe ? "iframe" : "stream";
    }

    /** {@code /stream}: chunked NDJSON. */
    public static StreamDoor stream(ServerContext context) {
        return new StreamDoor(context, false);
    }

    /** {@code /iframe}: chunked HTML calling {@code callback} once per item. */
    public static StreamDoor iframe(ServerContext context) {
        return new StreamDoor(context, true);
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpHeaders cors = context.cors().headersFor(request);
        StreamAnswer answer;
        List<String> channels;
        Cursor cursor;
        String session;
        Identity identity;
        try {
            if (!HttpMethod.GET.equals(request.method())) {
                cors.set(HttpHeaderNames.ALLOW, "GET");
                throw new SwitchboardException(405, "method_not_allowed", "/" + door + " answers GET only");
            }
            QueryParams query = QueryParams.parse(request.uri());
            identity = context.auth().identify(request, query);
            channels = ChannelParams.channels(query, context.hub().config().maxSubscriptions());
            ChannelParams.checkRead(context.access(), identity, channels);
            StreamFraming framing = iframe ? StreamFraming.iframe(CallbackName.check(query.one("callback")))
                    : StreamFraming.ndjson();
            cursor = Cursor.parse(query.one("since"), channels.size());
            session = Sessions.checkId(ChannelParams.session(query));
            answer = new StreamAnswer(context, ctx.channel(), request, cors, framing);
        } catch (SwitchboardException e) {
            context.metrics().error(door, e.status());
            HttpResponses.sendError(ctx, request, e, cors);
            return;
        }
        // The connection now carries one answer that does not end on its own: the stream replaces the
        // dispatcher, so requests pipelined behind it are dropped instead of served, and the connection
        // closes when the answer ends.
        ctx.pipeline().replace(ctx.name(), door, answer);
        context.sessions().attach(session, context.loops().of(ctx.channel().eventLoop()), answer, identity, channels, cursor);
    }
}
