package io.switchboard.server.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import java.io.IOException;

/**
 * The one JSON setup of the server: strict parsing (duplicate keys, trailing tokens and deep nesting
 * are refused) and compact writing.
 */
public final class Json {
    /** Nesting deeper than this is refused: no client needs it, and it costs stack. */
    public static final int MAX_DEPTH = 64;

    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final com.fasterxml.jackson.databind.ObjectReader EXACT = MAPPER.reader()
            .with(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .without(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

    private Json() {}

    /**
     * Parses one JSON value; anything else is a 400 {@code bad_json}. Numbers are kept exactly as sent
     * (decimals as {@code BigDecimal}), since parsed values are stored and forwarded: with doubles,
     * {@code 1e400} would be re-encoded as the string {@code "Infinity"} and {@code 3.50} as {@code 3.5}.
     */
    public static JsonNode parse(byte[] bytes, int offset, int length) {
        try {
            JsonNode node = EXACT.readTree(bytes, offset, length);
            if (node == null || node.isMissingNode()) throw badJson();
            return node;
        } catch (IOException e) {
            throw badJson();
        }
    }

    public static JsonNode parse(byte[] bytes) {
        return parse(bytes, 0, bytes.length);
    }

    private static SwitchboardException badJson() {
        return SwitchboardException.badRequest("bad_json", "the body is not one well-formed JSON value");
    }

    /** Serializes a value that is known to be serializable. */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass(), e);
        }
    }

    /** {@code {"error":code,"reason":reason}} */
    public static byte[] errorBody(String code, String reason) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("error", code);
        n.put("reason", reason);
        return bytes(n);
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

}
