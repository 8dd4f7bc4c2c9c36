package io.switchboard.server.history;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.auth.Identity;
import io.switchboard.core.channel.ChannelName;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.message.Position;
import io.switchboard.server.ServerContext;
import io.switchboard.server.codec.HistoryBody;
import io.switchboard.server.http.JsonAnswer;
import io.switchboard.server.http.QueryParams;
import io.switchboard.server.http.Route;

/**
 * Regular HTTP, {@code GET /history?channel=C[&since=P][&limit=N][&token=T]}: one channel's history as
 * {@code {"messages":[…],"cursor":"…"}}, the same body as the server API's history read but open to
 * clients — no API key, and restricted channels refused by the access rules.
 *
 * <p>Checks in PROTOCOL.md's order: method ({@code 405}), channel and access to it, then {@code since}
 * and {@code limit}. Answers when the Hub's stage completes, never blocking the loop. Answers and
 * refusals carry CORS headers, so a page's {@code fetch} can read them; every refusal is counted.
 */
public final class HistoryDoor implements Route {
    static final String DOOR = "history";

    private final ServerContext context;

    public HistoryDoor(ServerContext context) {
        this.context = context;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        JsonAnswer answer = new JsonAnswer(ctx, request, context.metrics(), DOOR, context.cors().headersFor(request));
        if (!HttpMethod.GET.equals(request.method())) {
            HttpHeaders allow = new DefaultHttpHeaders().set(HttpHeaderNames.ALLOW, "GET");
            answer.error(new SwitchboardException(405, "method_not_allowed", "/history answers GET only"), allow);
            return;
        }
        try {
            QueryParams query = QueryParams.parse(request.uri());
            Identity identity = context.auth().identify(request, query);
            String channel = ChannelName.check(query.one("channel")); // missing or empty is a 400 too
            context.access().checkRead(identity, channel);
            Position since = query.position("since");
            Integer limit = query.intParam("limit", 1, context.hub().config().maxHistoryLimit());
            answer.when(context.hub().history(channel, since, limit),
                    h -> answer.ok(HistoryBody.write(ctx.alloc(), channel, h)));
        } catch (SwitchboardException e) {
            answer.error(e);
        }
    }
}
