package io.switchboard.server.send;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.auth.Identity;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.ServerContext;
import io.switchboard.server.codec.Json;
import io.switchboard.server.http.ChannelParams;
import io.switchboard.server.http.JsonAnswer;
import io.switchboard.server.http.QueryParams;
import io.switchboard.server.http.Route;
import io.switchboard.server.protocol.ClientFrame;
import io.switchboard.server.protocol.ClientOps;
import io.switchboard.server.protocol.Replies;
import io.switchboard.server.session.Sessions;
import java.util.concurrent.CompletionStage;

/**
 * Client → server over HTTP, {@code POST /send[?session=ID][&token=T]} with one client frame as the body
 * ({@code {"op":…}}, parsed as strictly as a WebSocket frame), for clients whose transport only reads:
 * {@code publish}, {@code history}, {@code presence}, {@code auth} and {@code ping} answer as they do on
 * the WebSocket, as {@code 200} JSON echoing the frame's {@code id} as {@code ref} and naming the client's
 * {@code session} (the live one it named, else a fresh one).
 *
 * <p>It changes state, so a request from an origin that may not use it is refused ({@code 403}) before
 * anything else is looked at: a cross-site form post must not publish. Then, in PROTOCOL.md's order:
 * method ({@code 405}), then input ({@code 400}, {@code 413}), then access to the channel
 * ({@code 401}/{@code 403}). Refusals are status + {@code {"error","reason"}}, plus {@code ref} and
 * {@code session} once the frame and session are known; all carry CORS headers and are counted.
 */
public final class SendDoor implements Route {
    static final String DOOR = "send";

    private final ServerContext context;

    public SendDoor(ServerContext context) {
        this.context = context;
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        JsonAnswer answer = new JsonAnswer(ctx, request, context.metrics(), DOOR, context.cors().headersFor(request));
        if (!context.cors().allowed(request)) {
            answer.error(new SwitchboardException(403, "forbidden", "this origin may not send to /send"));
            return;
        }
        if (!HttpMethod.POST.equals(request.method())) {
            answer.error(new SwitchboardException(405, "method_not_allowed", "/send answers POST only"),
                    new DefaultHttpHeaders().set(HttpHeaderNames.ALLOW, "POST"));
            return;
        }
        try {
            QueryParams query = QueryParams.parse(request.uri());
            Identity identity = context.auth().identify(request, query); // credentials before input
            String asked = Sessions.checkId(ChannelParams.session(query));
            ClientFrame frame = ClientFrame.parse(ByteBufUtil.getBytes(request.content()));
            answer.errorFields(Replies.withRef(Json.object(), frame.id()));
            ClientFrame.Op op = frame.op();
            if (op == ClientFrame.Op.SUBSCRIBE || op == ClientFrame.Op.UNSUBSCRIBE) {
                throw SwitchboardException.badRequest("bad_op", "HTTP doors subscribe with the channel parameters of"
                        + " their GET (/poll, /sse, /stream, /jsonp, /iframe); /send takes publish, presence,"
                        + " history, auth and ping");
            }
            // Only a well-formed op gets (or keeps alive) a session: garbage must not create any.
            String session = context.sessions().use(asked, context.loops().of(ctx.channel().eventLoop()), identity);
            answer.errorFields(Replies.withRef(Json.object(), frame.id()).put("session", session));
            switch (op) {
                case PUBLISH -> answer(answer, ClientOps.publish(context.hub(), context.metrics(), frame, identity), session);
                case HISTORY -> answer(answer, ClientOps.history(context.hub(), frame, identity), session);
                case PRESENCE -> answer(answer, ClientOps.presence(context.hub(), frame, identity), session);
                case AUTH -> {
                    // Over HTTP every request carries its own token; this checks one without using it.
                    context.auth().verify(ClientOps.authToken(frame));
                    ok(answer, Replies.ack(frame.id()), session);
                }
                case PING -> ok(answer, Replies.pong(frame.id()), session);
                default -> throw new IllegalStateException("op " + op + " was refused above");
            }
        } catch (SwitchboardException e) {
            answer.error(e);
        }
    }

    /** Answers with the reply once the Hub completes it, or with its refusal. */
    private static void answer(JsonAnswer answer, CompletionStage<ObjectNode> reply, String session) {
        answer.when(reply, item -> ok(answer, item, session));
    }

    private static void ok(JsonAnswer answer, ObjectNode item, String session) {
        item.put("session", session);
        answer.ok(Json.bytes(item));
    }
}
