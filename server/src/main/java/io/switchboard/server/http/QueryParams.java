package io.switchboard.server.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.message.Position;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A request's query parameters, with the checks every door shares.
 *
 * <p>Parsed in one pass into two small arrays, because every poll parses one and a door asks for a handful
 * of names: Netty's {@link QueryStringDecoder} builds a map of lists per request. The result is the same as
 * {@code new QueryStringDecoder(uri, UTF_8, true, 1024, true)} gives (a test compares the two): components
 * without {@code %} or {@code +} are plain substrings, the others are decoded by Netty.
 */
public final class QueryParams {
    /** Netty's default: parameters past it are dropped. */
    private static final int MAX_PARAMS = 1024;
    private static final String[] NONE = new String[0];

    private final String path;
    /** name0, value0, name1, value1, … in request order. */
    private final String[] pairs;
    private final int size;

    private QueryParams(String path, String[] pairs, int size) {
        this.path = path;
        this.pairs = pairs;
        this.size = size;
    }

    /**
     * Parses a request URI; a malformed one (bad %-escape) is a 400. Only {@code &} separates parameters:
     * {@code ;} is a character of channel names (PROTOCOL.md), and splitting on it would also turn a
     * callback like {@code parent.x;alert(1)} into the valid {@code parent.x} instead of a 400.
     */
    public static QueryParams parse(String uri) {
        try {
            int end = uri.length();
            int pathEnd = end;
            for (int i = 0; i < end; i++) {
                char c = uri.charAt(i);
                if (c == '?' || c == '#') {
                    pathEnd = i;
                    break;
                }
            }
            String path = uri.substring(0, pathEnd);
            // Netty decodes the path in path mode: '+' stays a '+', only %-escapes change it.
            if (path.indexOf('%') >= 0) path = new QueryStringDecoder(path, StandardCharsets.UTF_8, true).path();
            if (pathEnd == end || uri.charAt(pathEnd) == '#') return new QueryParams(path, NONE, 0);
            String[] pairs = new String[8];
            int size = 0;
            int nameStart = pathEnd + 1;
            int valueStart = -1;
            int i = nameStart;
            for (; i < end; i++) {
                char c = uri.charAt(i);
                if (c == '=') {
                    if (nameStart == i) nameStart = i + 1; // as Netty: a name never starts with '='
                    else if (valueStart < 0) valueStart = i + 1;
                } else if (c == '&' || c == '#') {
                    if (nameStart < i) {
                        if (size == pairs.length) pairs = Arrays.copyOf(pairs, size * 2);
                        size = add(uri, nameStart, valueStart, i, pairs, size);
                        if (size / 2 >= MAX_PARAMS) return new QueryParams(path, pairs, size);
                    }
                    if (c == '#') return new QueryParams(path, pairs, size);
                    nameStart = i + 1;
                    valueStart = -1;
                }
            }
            if (nameStart < end) {
                if (size == pairs.length) pairs = Arrays.copyOf(pairs, size * 2);
                size = add(uri, nameStart, valueStart, end, pairs, size);
            }
            return new QueryParams(path, pairs, size);
        } catch (IllegalArgumentException e) {
            throw SwitchboardException.badRequest("bad_query", "the request URI is not well formed");
        }
    }

    /** Stores the parameter {@code uri[nameStart, valueEnd)} (value after {@code valueStart}, or none) at {@code size}. */
    private static int add(String uri, int nameStart, int valueStart, int valueEnd, String[] pairs, int size) {
        if (valueStart < 0) valueStart = valueEnd + 1; // "name" alone: an empty value
        pairs[size] = component(uri, nameStart, valueStart - 1);
        pairs[size + 1] = valueStart > valueEnd ? "" : component(uri, valueStart, valueEnd);
        return size + 2;
    }

    /** {@code uri[from, to)} decoded as a query component; a plain substring when nothing needs decoding. */
    private static String component(String uri, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = uri.charAt(i);
            if (c == '%' || c == '+') return QueryStringDecoder.decodeComponent(uri.substring(from, to), StandardCharsets.UTF_8);
        }
        return uri.substring(from, to);
    }

    /** How many parameters were given (a name given twice counts twice). */
    int size() {
        return size / 2;
    }

    /** The name of parameter {@code i}, in request order. */
    String name(int i) {
        return pairs[2 * i];
    }

    /** The value of parameter {@code i}, in request order. */
    String value(int i) {
        return pairs[2 * i + 1];
    }

    /** The decoded path. */
    public String path() {
        return path;
    }

    /** Every value of {@code name}, in order; empty when absent. */
    public List<String> all(String name) {
        String first = null;
        List<String> more = null;
        for (int i = 0; i < size; i += 2) {
            if (!pairs[i].equals(name)) continue;
            if (first == null) {
                first = pairs[i + 1];
            } else {
                if (more == null) {
                    more = new ArrayList<>(4);
                    more.add(first);
                }
                more.add(pairs[i + 1]);
            }
        }
        if (more != null) return more;
        return first == null ? List.of() : List.of(first);
    }

    /** The single value of {@code name}, or null when absent; given twice is a 400. */
    public String one(String name) {
        String value = null;
        for (int i = 0; i < size; i += 2) {
            if (!pairs[i].equals(name)) continue;
            if (value != null) {
                throw SwitchboardException.badRequest("bad_query", "parameter " + name + " is given more than once");
            }
            value = pairs[i + 1];
        }
        return value;
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
