package io.switchboard.server.poll;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.ReadOnlyHttpHeaders;
import io.netty.util.AsciiString;
import io.switchboard.server.codec.ItemFormat;
import io.switchboard.server.http.HttpResponses;
import io.switchboard.server.session.HttpSession;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * How a poll answer is framed around its items (PROTOCOL.md's table):
 * <ul>
 *   <li>{@code /poll}: {@code {"messages":[…],"cursor":"…","session":"…"}} as {@code application/json};</li>
 *   <li>{@code /jsonp}: {@code /**}{@code /F({"messages":[…],"cursor":"…","session":"…"});} as
 *       {@code application/javascript} with {@code X-Content-Type-Options: nosniff}. The leading empty
 *       comment keeps the first bytes of the body out of an attacker's control (the Rosetta Flash
 *       defence), and items are script-safe ({@link ItemFormat#SCRIPT}).</li>
 * </ul>
 * The items themselves are each message's once-encoded bytes; only the prefix and suffix are per answer.
 * Answers are written straight into the body buffer and their headers are one prebuilt, unvalidated
 * list: a poll is answered thousands of times a second, and building them was most of the door's work.
 *
 * @param door     the door's name, for metrics
 * @param format   how items are written
 * @param callback the JSONP callback, already checked; null for plain JSON
 */
record PollFraming(String door, ItemFormat format, String callback) {
    static final String JAVASCRIPT_TYPE = "application/javascript; charset=utf-8";
    /** The CORS headers of a request without {@code Origin} (what {@code Cors.headersFor} gives it). */
    static final HttpHeaders VARY_ORIGIN = new ReadOnlyHttpHeaders(false, HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);

    private static final byte[] JSON_PREFIX = ascii("{\"messages\":[");
    private static final byte[] CURSOR = ascii("],\"cursor\":\"");
    private static final byte[] SESSION = ascii("\",\"session\":\"");
    private static final byte[] JSON_END = ascii("\"}");
    private static final byte[] JSONP_END = ascii("\"});");
    private static final AsciiString NO_STORE = AsciiString.cached("no-store");
    private static final AsciiString JSON_TYPE = AsciiString.cached(HttpResponses.JSON_TYPE);
    private static final AsciiString SCRIPT_TYPE = AsciiString.cached(JAVASCRIPT_TYPE);
    private static final AsciiString NOSNIFF_NAME = AsciiString.cached("X-Content-Type-Options");
    private static final AsciiString NOSNIFF = AsciiString.cached("nosniff");

    private static final PollFraming JSON = new PollFraming("poll", ItemFormat.JSON, null);

    static PollFraming json() {
        return JSON;
    }

    static PollFraming jsonp(String callback) {
        return new PollFraming("jsonp", ItemFormat.SCRIPT, callback);
    }

    /** Writes {@code {"messages":[} or {@code /**}{@code /F({"messages":[} to {@code out}. */
    void writePrefix(ByteBuf out) {
        if (callback != null) {
            ByteBufUtil.writeAscii(out, "/**/");
            ByteBufUtil.writeAscii(out, callback);
            out.writeByte('(');
        }
        out.writeBytes(JSON_PREFIX);
    }

    /** Writes {@code ],"cursor":"C","session":"S"}} (and {@code );} for JSONP) to {@code out}. */
    void writeSuffix(ByteBuf out, HttpSession session) {
        // Cursors (epochs, offsets) and session ids are ASCII with nothing JSON or HTML would escape.
        out.writeBytes(CURSOR);
        session.writeCursor(out);
        out.writeBytes(SESSION);
        ByteBufUtil.writeAscii(out, session.id());
        out.writeBytes(callback == null ? JSON_END : JSONP_END);
    }

    /**
     * The headers of an answer of {@code length} bytes: content type and the door's own, no-store, the CORS
     * headers {@code cors}, the length, and {@code Connection} as keep-alive needs it ({@code connection}
     * null: none).
     */
    HttpHeaders headers(int length, HttpHeaders cors, CharSequence connection) {
        int corsSize = cors.size();
        CharSequence[] pairs = new CharSequence[2 * (3 + corsSize) + (callback == null ? 0 : 2) + (connection == null ? 0 : 2)];
        int n = 0;
        pairs[n++] = HttpHeaderNames.CONTENT_TYPE;
        pairs[n++] = callback == null ? JSON_TYPE : SCRIPT_TYPE;
        if (callback != null) {
            pairs[n++] = NOSNIFF_NAME;
            pairs[n++] = NOSNIFF;
        }
        pairs[n++] = HttpHeaderNames.CACHE_CONTROL;
        pairs[n++] = NO_STORE;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = cors.iteratorCharSequence(); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            pairs[n++] = e.getKey();
            pairs[n++] = e.getValue();
        }
        pairs[n++] = HttpHeaderNames.CONTENT_LENGTH;
        pairs[n++] = Integer.toString(length);
        if (connection != null) {
            pairs[n++] = HttpHeaderNames.CONNECTION;
            pairs[n++] = connection;
        }
        return new ReadOnlyHttpHeaders(false, pairs);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
