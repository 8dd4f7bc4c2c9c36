package io.switchboard.server.poll;

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
import io.switchboard.server.http.Parking;
import io.switchboard.server.http.QueryParams;
import io.switchboard.server.http.Route;
import io.switchboard.server.session.Sessions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ajax polling and long-polling, {@code GET /poll?channel=C…[&since=CURSOR][&wait=S][&session=ID]}, and
 * JSONP polling, {@code GET /jsonp?…&callback=F}: the same door with two framings ({@link PollFraming}).
 *
 * <p>Checks in PROTOCOL.md's order — method, channels and access to them, then the rest of the input
 * (callback, cursor, wait, session) — and attaches a {@link PollAnswer} to the client's session, or to a
 * fresh one. Refusals carry CORS headers so a page's {@code fetch} can read why; JSONP callers cannot read
 * them, but the status holds, and a bad callback is never written back.
 */
public final class PollDoor implements Route {
    private final ServerContext context;
    private final boolean jsonp;
    private final String door;
    /** The parked-poll gauge, looked up on first use (so it appears in metrics with the first parked poll). */
    private volatile AtomicInteger parkedGauge;

    private PollDoor(ServerContext context, boolean jsonp) {
        this.context = context;
        this.jsonp = jsonp;
        this.door = jsonp ? "jsonp" : "poll";
    }

    /** {@code /poll}: JSON answers. */
    public static PollDoor poll(ServerContext context) {
        return new PollDoor(context, false);
    }

    /** {@code /jsonp}: script answers calling {@code callback}. */
    public static PollDoor jsonp(ServerContext context) {
        return new PollDoor(context, true);
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        // Most pollers send no Origin: they share one read-only header set instead of building their own.
        HttpHeaders cors = request.headers().contains(HttpHeaderNames.ORIGIN)
                ? context.cors().headersFor(request) : PollFraming.VARY_ORIGIN;
        try {
            if (!HttpMethod.GET.equals(request.method())) {
                cors = context.cors().headersFor(request);
                cors.set(HttpHeaderNames.ALLOW, "GET");
                throw new SwitchboardException(405, "method_not_allowed", "/" + door + " answers GET only");
            }
            QueryParams query = QueryParams.parse(request.uri());
            Identity identity = context.auth().identify(request, query);
            List<String> channels = ChannelParams.channels(query, context.hub().config().maxSubscriptions());
            ChannelParams.checkRead(context.access(), identity, channels);
            PollFraming framing = jsonp ? PollFraming.jsonp(CallbackName.check(query.one("callback"))) : PollFraming.json();
            Cursor cursor = Cursor.parse(query.one("since"), channels.size());
            // A hold ends before the idle timeout would see a silent connection and close it.
            int wait = (int) Math.min(ChannelParams.waitSeconds(query),
                    Math.max(1, context.config().limits().idleTimeout().toSeconds() - 1));
            String session = Sessions.checkId(ChannelParams.session(query));
            PollAnswer answer = new PollAnswer(context, ctx, request, cors, framing, wait, parkedGauge());
            // From now on this connection owes an answer: a request pipelined behind waits for it.
            Parking.park(ctx.channel(), answer::answerNow);
            context.sessions().attach(session, context.loops().of(ctx.channel().eventLoop()), answer, identity, channels, cursor);
        } catch (SwitchboardException e) {
            context.metrics().error(door, e.status());
            HttpResponses.sendError(ctx, request, e, cors);
        }
    }

    private AtomicInteger parkedGauge() {
        AtomicInteger g = parkedGauge;
        if (g == null) parkedGauge = g = context.metrics().connections("longpoll");
        return g;
    }
}
