package io.switchboard.server.poll;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.switchboard.server.codec.ItemFormat;
import io.switchboard.server.http.HttpResponses;

/**
 * How a poll answer is framed around its items (PROTOCOL.md's table):
 * <ul>
 *   <li>{@code /poll}: {@code {"messages":[…],"cursor":"…","session":"…"}} as {@code application/json};</li>
 *   <li>{@code /jsonp}: {@code /**}{@code /F({"messages":[…],"cursor":"…","session":"…"});} as
 *       {@code application/javascript} with {@code X-Content-Type-Options: nosniff}. The leading empty
 *       comment keeps the first bytes of the body out of an attacker's control (the Rosetta Flash
 *       defence), and items are script-safe ({@link ItemFormat#SCRIPT}).</li>
 * </ul>
 * The items themselves are the shared bytes of each message; only the prefix and suffix are per answer.
 *
 * @param door     the door's name, for metrics
 * @param format   how items are written
 * @param callback the JSONP callback, already checked; null for plain JSON
 */
record PollFraming(String door, ItemFormat format, String callback) {
    static final String JAVASCRIPT_TYPE = "application/javascript; charset=utf-8";

    static PollFraming json() {
        return new PollFraming("poll", ItemFormat.JSON, null);
    }

    static PollFraming jsonp(String callback) {
        return new PollFraming("jsonp", ItemFormat.SCRIPT, callback);
    }

    /** {@code {"messages":[} or {@code /**}{@code /F({"messages":[}; a new buffer the caller owns. */
    ByteBuf prefix(ByteBufAllocator alloc) {
        String text = callback == null ? "{\"messages\":[" : "/**/" + callback + "({\"messages\":[";
        ByteBuf buf = alloc.buffer(text.length());
        ByteBufUtil.writeAscii(buf, text);
        return buf;
    }

    /** {@code ],"cursor":"C","session":"S"}} (and {@code );} for JSONP); a new buffer the caller owns. */
    ByteBuf suffix(ByteBufAllocator alloc, String cursor, String session) {
        // Cursors (epochs, offsets) and session ids are ASCII with nothing JSON or HTML would escape.
        String text = "],\"cursor\":\"" + cursor + "\",\"session\":\"" + session + "\"}" + (callback == null ? "" : ");");
        ByteBuf buf = alloc.buffer(text.length());
        ByteBufUtil.writeAscii(buf, text);
        return buf;
    }

    /** Content type and the door's own headers. */
    void headers(HttpHeaders h) {
        if (callback == null) {
            h.set(HttpHeaderNames.CONTENT_TYPE, HttpResponses.JSON_TYPE);
        } else {
            h.set(HttpHeaderNames.CONTENT_TYPE, JAVASCRIPT_TYPE);
            h.set("X-Content-Type-Options", "nosniff");
        }
    }
}
