package io.switchboard.server.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.message.ItemJson;
import io.switchboard.core.message.Message;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NativeFormatsTest {

    @Test
    void sseEventIsTheEventNameThenTheItemAsData() {
        Message m = message("update", "{\"a\":1}");
        String item = new String(m.encoded(ItemJson.FORMAT), StandardCharsets.UTF_8);
        assertThat(sse(m)).isEqualTo("event: update\ndata: " + item + "\n\n");
    }

    @Test
    void sseEventSplitsLineBreaksOfRawDataIntoDataLines() {
        Message m = message("message", "{\n\"a\":1,\r\n\"b\":\"\u00e9\"\r}");
        String item = new String(m.encoded(ItemJson.FORMAT), StandardCharsets.UTF_8);
        String expectedItem = item.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\ndata: ");
        assertThat(sse(m)).isEqualTo("event: message\ndata: " + expectedItem + "\n\n");
        assertThat(sse(m)).contains("data: \"a\":1,\ndata: \"b\":\"\u00e9\"\ndata: }");
        assertThat(sse(m).indexOf('\r')).isEqualTo(-1);
    }

    private static String sse(Message m) {
        return new String(m.encoded(NativeFormats.SSE_EVENT), StandardCharsets.UTF_8);
    }

    private static Message message(String event, String data) {
        return new Message("news", event, data.getBytes(StandardCharsets.UTF_8), "ep", 1, 1000, null);
    }
}
