package io.switchboard.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.time.Clock;
import io.switchboard.server.ServerContext;
import io.switchboard.server.codec.Json;
import io.switchboard.server.http.JsonAnswer;
import io.switchboard.server.http.Route;
import io.switchboard.server.metrics.Metrics;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code POST /demo/token {"user":"ada"}} → {@code {"token":…,"user":"ada","expires":EPOCH_SECONDS}}: an
 * hour's HS256 token for the demo chat's rooms ({@link Demo#CHAT_PATTERN}: read, publish, presence as
 * {@code user}), signed with the node's token secret. Only with {@link Demo} on.
 *
 * <p>Anyone who can reach the server may pick any name in a demo room: that is the demo. The token grants
 * nothing beyond the demo rooms. The answer has no CORS headers, so pages of other origins cannot read it,
 * and a request whose {@code Origin} is another site is refused outright.
 */
final class DemoTokens implements Route {
    /** The metrics label of this endpoint's refusals. */
    static final String DOOR = "demo";
    static final int TTL_SECONDS = 3600;
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.-]{1,24}");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private final byte[] secret;
    private final Clock clock;
    private final Metrics metrics;

    DemoTokens(ServerContext context) {
        // Demo.apply made sure there is one.
        this.secret = context.config().tokens().secret().getBytes(StandardCharsets.UTF_8);
        this.clock = context.clock();
        this.metrics = context.metrics();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        JsonAnswer answer = new JsonAnswer(ctx, request, metrics, DOOR, null);
        if (!HttpMethod.POST.equals(request.method())) {
            answer.error(new SwitchboardException(405, "method_not_allowed", "use POST"),
                    new DefaultHttpHeaders().set(HttpHeaderNames.ALLOW, "POST"));
            return;
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !sameOrigin(origin, request.headers().get(HttpHeaderNames.HOST))) {
            answer.error(new SwitchboardException(403, "forbidden", "demo tokens are for this server's own demo pages"));
            return;
        }
        try {
            answer.ok(Json.bytes(issue(user(request))));
        } catch (SwitchboardException e) {
            answer.error(e);
        }
    }

    private static String user(FullHttpRequest request) {
        JsonNode body = Json.parse(ByteBufUtil.getBytes(request.content()));
        JsonNode user = body == null || !body.isObject() ? null : body.get("user");
        if (user == null || !user.isTextual() || !USER.matcher(user.textValue()).matches()) {
            throw SwitchboardException.badRequest("bad_field", "user must be 1-24 characters of A-Z a-z 0-9 _ . -");
        }
        return user.textValue();
    }

    private ObjectNode issue(String user) {
        long now = clock.millis() / 1000;
        ObjectNode claims = Json.object();
        claims.put("sub", user);
        claims.putArray("channels").add(Demo.CHAT_PATTERN);
        claims.putArray("publish").add(Demo.CHAT_PATTERN);
        claims.putObject("info").put("name", user);
        claims.put("iat", now);
        claims.put("exp", now + TTL_SECONDS);
        String signingInput = HEADER + "." + B64.encodeToString(Json.bytes(claims));
        ObjectNode out = Json.object();
        out.put("token", signingInput + "." + B64.encodeToString(hmac(signingInput)));
        out.put("user", user);
        out.put("expires", now + TTL_SECONDS);
        return out;
    }

    private byte[] hmac(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e); // every JVM has HmacSHA256
        }
    }

    private static boolean sameOrigin(String origin, String host) {
        try {
            return host != null && host.equalsIgnoreCase(URI.create(origin).getRawAuthority());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
