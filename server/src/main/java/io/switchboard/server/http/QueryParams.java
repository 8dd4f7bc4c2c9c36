package io.switchboard.server.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.message.Position;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** A request's query parameters, with the checks every door shares. */
public final class QueryParams {
    /** Netty's default: parameters past it are dropped. */
    private static final int MAX_PARAMS = 1024;

    private final String path;
    private final Map<String, List<String>> params;

    private QueryParams(String path, Map<String, List<String>> params) {
        this.path = path;
        this.params = params;
    }

    /**
     * Parses a request URI; a malformed one (bad %-escape) is a 400. Only {@code &} separates parameters:
     * {@code ;} is a character of channel names (PROTOCOL.md), and splitting on it would also turn a
     * callback like {@code parent.x;alert(1)} into the valid {@code parent.x} instead of a 400.
     */
    public static QueryParams parse(String uri) {
        try {
            QueryStringDecoder d = new QueryStringDecoder(uri, StandardCharsets.UTF_8, true, MAX_PARAMS, true);
            return new QueryParams(d.path(), d.parameters());
        } catch (IllegalArgumentException e) {
            throw SwitchboardException.badRequest("bad_query", "the request URI is not well formed");
        }
    }

    /** The decoded path. */
    public String path() {
        return path;
    }

    /** Every value of {@code name}, in order; empty when absent. */
    public List<String> all(String name) {
        return params.getOrDefault(name, List.of());
    }

    /** The single value of {@code name}, or null when absent; given twice is a 400. */
    public String one(String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) return null;
        if (values.size() > 1) {
            throw SwitchboardException.badRequest("bad_query", "parameter " + name + " is given more than once");
        }
        return values.get(0);
    }

    /** An optional integer parameter in [min, max]; anything else is a 400. */
    public Integer intParam(String name, int min, int max) {
        String v = one(name);
        if (v == null) return null;
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw SwitchboardException.badRequest("bad_" + name, name + " must be an integer from " + min + " to " + max);
    }

    /** An optional position parameter: empty, absent or {@code -} means "the newest" (null); else {@code EPOCH:OFFSET} or a 400. */
    public Position position(String name) {
        String v = one(name);
        if (v == null || v.isEmpty() || v.equals("-")) return null;
        return Position.parse(v);
    }
}
