package io.switchboard.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.message.Position;
import io.switchboard.server.codec.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Parsing and field checks of client frames. */
class ClientFrameTest {
    @Test
    void readsEveryField() {
        ClientFrame f = parse("{\"op\":\"history\",\"channel\":\"news\",\"since\":\"q7Zc:40\",\"limit\":50,\"id\":5}");
        assertThat(f.op()).isEqualTo(ClientFrame.Op.HISTORY);
        assertThat(f.channel()).isEqualTo("news");
        assertThat(f.since()).isEqualTo(new Position("q7Zc", 40));
        assertThat(f.limit()).isEqualTo(50);
        assertThat(f.id().asInt()).isEqualTo(5);
        assertThat(f.event()).isEqualTo("message");
    }

    @Test
    void fromNowSpellings() {
        assertThat(parse("{\"op\":\"subscribe\"}").since()).isNull();
        assertThat(parse("{\"op\":\"subscribe\",\"since\":null}").since()).isNull();
        assertThat(parse("{\"op\":\"subscribe\",\"since\":\"\"}").since()).isNull();
        assertThat(parse("{\"op\":\"subscribe\",\"since\":\"-\"}").since()).isNull();
    }

    @Test
    void dataIsKeptExactlyAndNullIsData() {
        assertThat(parse("{\"op\":\"publish\",\"data\":null}").data().isNull()).isTrue();
        ClientFrame f = parse("{\"op\":\"publish\",\"data\":{\"price\":10.50,\"big\":123456789012345678901234567890}}");
        assertThat(new String(Json.bytes(f.data()), StandardCharsets.UTF_8))
                .isEqualTo("{\"price\":10.50,\"big\":123456789012345678901234567890}");
    }

    @Test
    void idsAreNumbersOrStrings() {
        assertThat(parse("{\"op\":\"ping\",\"id\":\"a\"}").id().asText()).isEqualTo("a");
        assertThat(parse("{\"op\":\"ping\",\"id\":1.5}").id().asDouble()).isEqualTo(1.5);
        assertThat(parse("{\"op\":\"ping\",\"id\":null}").id()).isNull();
        assertRefused(() -> parse("{\"op\":\"ping\",\"id\":true}"), "bad_field");
        assertRefused(() -> parse("{\"op\":\"ping\",\"id\":[1]}"), "bad_field");
    }

    @Test
    void refusals() {
        assertRefused(() -> parse("nope"), "bad_json");
        assertRefused(() -> parse("42"), "bad_json");
        assertRefused(() -> parse("{\"op\":\"ping\"}{}"), "bad_json");
        assertRefused(() -> parse("{\"a\":1,\"a\":2}"), "bad_json");
        assertRefused(() -> parse("{}").op(), "bad_field");
        assertRefused(() -> parse("{\"op\":[]}").op(), "bad_field");
        assertRefused(() -> parse("{\"op\":\"PING\"}").op(), "bad_op");
        assertRefused(() -> parse("{\"op\":\"subscribe\"}").channel(), "bad_field");
        assertRefused(() -> parse("{\"op\":\"subscribe\",\"channel\":\"a b\"}").channel(), "bad_channel");
        assertRefused(() -> parse("{\"op\":\"subscribe\",\"since\":\"x\"}").since(), "bad_position");
        assertRefused(() -> parse("{\"op\":\"subscribe\",\"since\":1}").since(), "bad_field");
        assertRefused(() -> parse("{\"op\":\"history\",\"limit\":1.5}").limit(), "bad_field");
        assertRefused(() -> parse("{\"op\":\"history\",\"limit\":99999999999}").limit(), "bad_field");
        assertRefused(() -> parse("{\"op\":\"publish\"}").data(), "bad_field");
        assertRefused(() -> parse("{\"op\":\"publish\",\"event\":\"sb:x\"}").event(), "bad_event");
        assertRefused(() -> parse("{\"op\":\"publish\",\"event\":1}").event(), "bad_field");
    }

    private static ClientFrame parse(String json) {
        return ClientFrame.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertRefused(Runnable r, String code) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo(code);
        });
    }
}
