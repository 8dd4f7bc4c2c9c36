package io.switchboard.server.sse;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.switchboard.core.auth.Access;
import io.switchboard.core.auth.Identity;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.SubscribeRequest;
import io.switchboard.core.message.Cursor;
import io.switchboard.server.auth.Authenticator;
import io.switchboard.server.http.ChannelParams;
import io.switchboard.server.http.QueryParams;
import java.util.ArrayList;
import java.util.List;

/**
 * A checked {@code GET /sse?channel=C[&channel=D…][&since=CURSOR][&lastEventId=CURSOR][&token=T]}: its
 * channels in request order, the cursor to resume from, and who the client is. Checks run in PROTOCOL.md's
 * order: method, the token (401), channel names, whether the token allows them (401/403), then the
 * cursor. Each failure is the error the client is told. Unknown parameters (such as the {@code t=} cache
 * buster) are ignored.
 */
record SseRequest(List<String> channels, Cursor cursor, Identity identity) {
    static final String LAST_EVENT_ID = "Last-Event-ID";

    /** Parses and checks {@code request}; throws {@link SwitchboardException} for anything refused. */
    static SseRequest parse(HttpRequest request, int maxChannels, Authenticator auth, Access access) {
        if (!HttpMethod.GET.equals(request.method())) {
            throw new SwitchboardException(405, "method_not_allowed", "/sse answers GET only");
        }
        QueryParams query = QueryParams.parse(request.uri());
        Identity identity = auth.identify(request, query);
        List<String> channels = ChannelParams.channels(query, maxChannels);
        ChannelParams.checkRead(access, identity, channels);
        return new SseRequest(channels, Cursor.parse(resumeFrom(request, query), channels.size()), identity);
    }

    /**
     * Where to resume: the {@code Last-Event-ID} header (an EventSource reconnecting) wins over the
     * {@code lastEventId} query parameter (a polyfill or a page that kept the id), which wins over
     * {@code since}. An empty value counts as absent. Null means "from now".
     */
    private static String resumeFrom(HttpRequest request, QueryParams query) {
        String header = request.headers().get(LAST_EVENT_ID);
        if (header != null && !header.isEmpty()) return header;
        String lastEventId = query.one("lastEventId");
        if (lastEventId != null && !lastEventId.isEmpty()) return lastEventId;
        return query.one("since");
    }

    /** One Hub request per channel, from the cursor's slot (null = from now). */
    List<SubscribeRequest> subscribeRequests() {
        List<SubscribeRequest> out = new ArrayList<>(channels.size());
        for (int i = 0; i < channels.size(); i++) {
            out.add(new SubscribeRequest(channels.get(i), cursor.get(i)));
        }
        return out;
    }
}
