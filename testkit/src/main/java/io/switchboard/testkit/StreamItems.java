package io.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.codec.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the items out of a Comet stream's body as it arrives, whatever the chunking: NDJSON lines (a blank
 * line is a heartbeat), or the iframe's {@code <script>F(ITEM);</script>} (a {@code ping} item is a
 * heartbeat; the padded document start before the first script is skipped). Anything else is a problem.
 * Not thread-safe: {@link StreamRecorder} guards it.
 */
final class StreamItems {
    private static final byte[] LINE_END = {'\n'};
    private static final byte[] SCRIPT_END = "</script>".getBytes(StandardCharsets.US_ASCII);

    /** The iframe's callback, or null for NDJSON. */
    private final String callback;
    private final byte[] end;
    /** Bytes after the last complete item. */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    final List<JsonNode> items = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    int heartbeats;

    StreamItems(String callback) {
        this.callback = callback;
        this.end = callback == null ? LINE_END : SCRIPT_END;
    }

    /** Takes the next bytes of the body and parses every item they complete. */
    void feed(byte[] bytes) {
        pending.writeBytes(bytes);
        byte[] all = pending.toByteArray();
        int from = 0;
        int at;
        while ((at = indexOf(all, end, from)) >= 0) {
            String text = new String(all, from, at - from, StandardCharsets.UTF_8);
            from = at + end.length;
            if (callback == null) line(text);
            else script(text);
        }
        pending.reset();
        pending.write(all, from, all.length - from);
    }

    private void line(String text) {
        if (text.isEmpty()) heartbeats++;
        else item(text, text);
    }

    private void script(String text) {
        int start = text.indexOf("<script>");
        String prefix = "<script>" + callback + "(";
        if (start < 0 || !text.startsWith(prefix, start) || !text.endsWith(");")) {
            problems.add(text);
            return;
        }
        JsonNode item = item(text.substring(start + prefix.length(), text.length() - 2), text);
        if (item != null && item.path("type").asText().equals("ping")) {
            items.remove(items.size() - 1);
            heartbeats++;
        }
    }

    private JsonNode item(String json, String raw) {
        try {
            JsonNode item = Json.parse(json.getBytes(StandardCharsets.UTF_8));
            items.add(item);
            return item;
        } catch (RuntimeException e) {
            problems.add(raw);
            return null;
        }
    }

    private static int indexOf(byte[] all, byte[] what, int from) {
        outer:
        for (int i = from; i <= all.length - what.length; i++) {
            for (int k = 0; k < what.length; k++) {
                if (all[i + k] != what[k]) continue outer;
            }
            return i;
        }
        return -1;
    }
}
