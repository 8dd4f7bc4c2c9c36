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
 * <p>Parsed in one pass into the bounds of each name and value, compared and cut out only when a door asks
 * for them, because every poll parses one and asks for a handful of names: Netty's
 * {@link QueryStringDecoder} builds a map of lists of strings per request. The result is the same as
 * {@code new QueryStringDecoder(uri, UTF_8, true, 1024, true)} gives (a test compares the two): components
 * without {@code %} or {@code +} are plain substrings, the others are decoded by Netty.
 */
public final class QueryParams {
    /** Netty's default: parameters past it are dropped. */
    private static final int MAX_PARAMS = 1024;
    private static final int[] NONE = new int[0];

    private final String uri;
    private final String path;
    /** Per parameter, in request order: name start, name end, value start, value end (indexes into {@link #uri}). */
    private final int[] bounds;
    private final int size;
    /** Decoded name and value of parameters with %-escapes or {@code +} (null elsewhere); null when none has. */
    private final String[] decoded;

    private QueryParams(String uri, String path, int[] bounds, int size, String[] decoded) {
        this.uri = uri;
        this.path = path;
        this.bounds = bounds;
        this.size = size;
        this.decoded = decoded;
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
            if (pathEnd == end || uri.charAt(pathEnd) == '#') return new QueryParams(uri, path, NONE, 0, null);
            Builder b = new Builder(uri);
            int nameStart = pathEnd + 1;
            int valueStart = -1;
            for (int i = nameStart; i < end; i++) {
                char c = uri.charAt(i);
                if (c == '=') {
                    if (nameStart == i) nameStart = i + 1; // as Netty: a name never starts with '='
                    else if (valueStart < 0) valueStart = i + 1;
                } else if (c == '&' || c == '#') {
                    if (nameStart < i) {
                        b.add(nameStart, valueStart, i);
                        if (b.size >= MAX_PARAMS) return b.build(path);
                    }
                    if (c == '#') return b.build(path);
                    nameStart = i + 1;
                    valueStart = -1;
                }
            }
            if (nameStart < end) b.add(nameStart, valueStart, end);
            return b.build(path);
        } catch (IllegalArgumentException e) {
            throw SwitchboardException.badRequest("bad_query", "the request URI is not well formed");
        }
    }

    /** Collects parameter bounds; decodes the few components that need it at once, so a bad escape is a 400 here. */
    private static final class Builder {
        private final String uri;
        private int[] bounds = new int[16];
        private String[] decoded;
        private int size;

        Builder(String uri) {
            this.uri = uri;
        }

        /** The parameter {@code uri[nameStart, valueEnd)}, its value after {@code valueStart} (or none: -1). */
        void add(int nameStart, int valueStart, int valueEnd) {
            if (valueStart < 0) valueStart = valueEnd + 1; // "name" alone: an empty value
            int nameEnd = valueStart - 1;
            if (valueStart > valueEnd) valueStart = valueEnd; // the empty value
            if (4 * size == bounds.length) bounds = Arrays.copyOf(bounds, bounds.length * 2);
            int at = 4 * size;
            bounds[at] = nameStart;
            bounds[at + 1] = nameEnd;
            bounds[at + 2] = valueStart;
            bounds[at + 3] = valueEnd;
            decode(2 * size, nameStart, nameEnd);
            decode(2 * size + 1, valueStart, valueEnd);
            size++;
        }

        private void decode(int slot, int from, int to) {
            for (int i = from; i < to; i++) {
                char c = uri.charAt(i);
                if (c == '%' || c == '+') {
                    if (decoded == null) decoded = new String[Math.max(16, 2 * bounds.length / 4)];
                    if (slot >= decoded.length) decoded = Arrays.copyOf(decoded, Math.max(2 * decoded.length, slot + 1));
                    decoded[slot] = QueryStringDecoder.decodeComponent(uri.substring(from, to), StandardCharsets.UTF_8);
                    return;
                }
            }
        }

        QueryParams build(String path) {
            return new QueryParams(uri, path, bounds, size, decoded);
        }
    }

    /** How many parameters were given (a name given twice counts twice). */
    int size() {
        return size;
    }

    /** The name of parameter {@code i}, in request order. */
    String name(int i) {
        String d = decodedAt(2 * i);
        return d != null ? d : uri.substring(bounds[4 * i], bounds[4 * i + 1]);
    }

    /** The value of parameter {@code i}, in request order. */
    String value(int i) {
        String d = decodedAt(2 * i + 1);
        return d != null ? d : uri.substring(bounds[4 * i + 2], bounds[4 * i + 3]);
    }

    /** Whether parameter {@code i} is called {@code name}: compared in place, no string made. */
    private boolean named(int i, String name) {
        String d = decodedAt(2 * i);
        if (d != null) return d.equals(name);
        int from = bounds[4 * i];
        return bounds[4 * i + 1] - from == name.length() && uri.startsWith(name, from);
    }

    private String decodedAt(int slot) {
        return decoded == null || slot >= decoded.length ? null : decoded[slot];
    }

    /** The decoded path. */
    public String path() {
        return path;
    }

    /** Every value of {@code name}, in order; empty when absent. */
    public List<String> all(String name) {
        int first = -1;
        List<String> more = null;
        for (int i = 0; i < size; i++) {
            if (!named(i, name)) continue;
            if (first < 0) {
                first = i;
            } else {
                if (more == null) {
                    more = new ArrayList<>(4);
                    more.add(value(first));
                }
                more.add(value(i));
            }
        }
        if (more != null) return more;
        return first < 0 ? List.of() : List.of(value(first));
    }

    /** The single value of {@code name}, or null when absent; given twice is a 400. */
    public String one(String name) {
        int found = -1;
        for (int i = 0; i < size; i++) {
            if (!named(i, name)) continue;
            if (found >= 0) {
                throw SwitchboardException.badRequest("bad_query", "parameter " + name + " is given more than once");
            }
            found = i;
        }
        return found < 0 ? null : value(found);
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
