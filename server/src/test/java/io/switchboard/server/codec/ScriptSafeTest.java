package io.switchboard.server.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScriptSafeTest {
    @Test
    void json_with_nothing_unsafe_is_returned_as_is() {
        byte[] json = "{\"a\":[1,2,\"x\"]}".getBytes(StandardCharsets.UTF_8);
        assertThat(ScriptSafe.escape(json)).isSameAs(json);
    }

    @Test
    void markup_and_line_separators_are_escaped_and_the_value_is_unchanged() {
        String text = "</script><!-- a & b \u2028 c \u2029 d é ✓ \u2027";
        byte[] json = Json.bytes(Json.object().put("s", text));

        byte[] safe = ScriptSafe.escape(json);

        String out = new String(safe, StandardCharsets.UTF_8);
        assertThat(out).doesNotContain("<", ">", "&", "\u2028", "\u2029")
                .contains("\\u003c/script\\u003e", "\\u003c!--", "\\u0026", "\\u2028", "\\u2029", "é ✓ \u2027");
        JsonNode back = Json.parse(safe);
        assertThat(back.get("s").textValue()).isEqualTo(text);
    }

    @Test
    void an_ndjson_line_has_no_line_break_but_its_last_byte() {
        byte[] raw = "{\"a\":\n1,\r\n\"b\":\"x\"}".getBytes(StandardCharsets.UTF_8);

        byte[] line = NativeFormats.ndjsonLine(raw);

        String s = new String(line, StandardCharsets.UTF_8);
        assertThat(s).endsWith("\n");
        assertThat(s.substring(0, s.length() - 1)).doesNotContain("\n", "\r");
        assertThat(Json.parse(s.trim().getBytes(StandardCharsets.UTF_8))).isEqualTo(Json.parse(raw));
    }
}
