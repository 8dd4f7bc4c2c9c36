package io.switchboard.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.auth.Namespace;
import io.switchboard.core.broker.HistoryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One entry of the {@code namespaces} setting as written: a channel pattern and the settings it changes.
 * Given as a YAML list of maps in the config file, or the same as JSON in a flag or the environment:
 * <pre>
 * namespaces:
 *   - pattern: "chat-*"
 *     client-publish: true
 *     history-size: 500
 *     history-age: 1h
 *   - pattern: "presence-*"
 *     max-subscribers: 1000
 *   - pattern: "ticker-*"
 *     latest-value: true
 * </pre>
 * A history setting left out keeps the server-wide one, which is only known once every setting is read.
 */
record NamespaceSpec(String pattern, Integer historySize, Duration historyAge, Boolean presence, Boolean clientPublish,
                     Integer maxSubscribers, Integer maxDataBytes, Boolean latestValue) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> KEYS = Set.of("pattern", "history-size", "history-age", "presence", "client-publish",
            "max-subscribers", "max-data-bytes", "latest-value");

    /** Parses the setting's JSON text: a list of objects with the keys above, {@code pattern} required. */
    static List<NamespaceSpec> parseAll(String raw) {
        JsonNode root;
        try {
            root = JSON.readTree(raw);
        } catch (Exception e) {
            throw new IllegalArgumentException("namespaces must be a list of {pattern: …, …} entries");
        }
        if (root == null || !root.isArray()) throw new IllegalArgumentException("namespaces must be a list of {pattern: …, …} entries");
        List<NamespaceSpec> out = new ArrayList<>();
        int i = 0;
        for (JsonNode n : root) {
            out.add(parse(n, "namespace " + (++i)));
        }
        return out;
    }

    private static NamespaceSpec parse(JsonNode n, String where) {
        if (!n.isObject()) throw new IllegalArgumentException(where + " must be a map with a pattern");
        for (Map.Entry<String, JsonNode> f : n.properties()) {
            if (!KEYS.contains(f.getKey())) {
                throw new IllegalArgumentException(where + ": unknown key '" + f.getKey() + "' (known keys: pattern,"
                        + " history-size, history-age, presence, client-publish, max-subscribers, max-data-bytes, latest-value)");
            }
        }
        JsonNode pattern = n.get("pattern");
        if (pattern == null || !pattern.isTextual() || pattern.textValue().isEmpty()) {
            throw new IllegalArgumentException(where + ": pattern is missing");
        }
        String p = pattern.textValue();
        where = where + " (" + p + ")";
        return new NamespaceSpec(p,
                text(n, "history-size", where) == null ? null : Values.nonNegative(text(n, "history-size", where)),
                text(n, "history-age", where) == null ? null : Values.duration(text(n, "history-age", where)),
                bool(n, "presence", where), bool(n, "client-publish", where),
                text(n, "max-subscribers", where) == null ? null : Values.positive(text(n, "max-subscribers", where)),
                text(n, "max-data-bytes", where) == null ? null : Values.bytes(text(n, "max-data-bytes", where)),
                bool(n, "latest-value", where));
    }

    private static String text(JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isValueNode()) throw new IllegalArgumentException(where + ": " + key + " must be a single value");
        return v.asText();
    }

    private static Boolean bool(JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isBoolean()) throw new IllegalArgumentException(where + ": " + key + " must be true or false");
        return v.booleanValue();
    }

    /** The namespace, with history settings left out taken from {@code base}. */
    Namespace toNamespace(HistoryPolicy base) {
        HistoryPolicy history = historySize == null && historyAge == null ? null
                : new HistoryPolicy(historySize == null ? base.size() : historySize, historyAge == null ? base.maxAge() : historyAge);
        return new Namespace(pattern, history, presence, clientPublish, maxSubscribers, maxDataBytes, latestValue);
    }
}
