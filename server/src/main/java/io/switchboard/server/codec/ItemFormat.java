package io.switchboard.server.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.message.ItemJson;
import io.switchboard.core.message.WireFormat;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * How a door writes items: messages through a cached {@link WireFormat} (encoded once per message),
 * control items (gap, error, open, ping) through the same transformation applied to their JSON.
 *
 * @param messages the cached encoding of message items
 * @param control  turns a control item's compact JSON into the same shape as {@code messages}
 */
public record ItemFormat(WireFormat messages, UnaryOperator<byte[]> control) {
    /** Plain item JSON: poll answers. */
    public static final ItemFormat JSON = new ItemFormat(ItemJson.FORMAT, UnaryOperator.identity());
    /** Item JSON safe inside a script: JSONP and the forever iframe. */
    public static final ItemFormat SCRIPT = new ItemFormat(NativeFormats.SCRIPT_ITEM, ScriptSafe::escape);
    /** One item per line: HTTP streaming. */
    public static final ItemFormat NDJSON = new ItemFormat(NativeFormats.NDJSON_LINE, ItemFormat::line);

    /** The control item in this format. */
    public byte[] control(ObjectNode item) {
        return control.apply(Json.bytes(item));
    }

    private static byte[] line(byte[] json) {
        // Compact JSON from Jackson never holds a raw line break.
        byte[] out = Arrays.copyOf(json, json.length + 1);
        out[json.length] = '\n';
        return out;
    }
}
