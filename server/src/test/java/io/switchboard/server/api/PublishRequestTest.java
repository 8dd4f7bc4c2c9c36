package io.switchboard.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.HubConfig;
import io.switchboard.server.codec.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PublishRequestTest {
    static final HubConfig LIMITS = HubConfig.DEFAULT.withMaxDataBytes(16).withMaxSubscriptions(3);

    static PublishRequest parse(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return PublishRequest.parse(Json.parse(b, 0, b.length), LIMITS);
    }

    static void refused(String json, int status, String code) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.status()).as(e.reason()).isEqualTo(status);
            assertThat(e.code()).as(e.reason()).isEqualTo(code);
        });
    }

    @Test
    void oneChannelWithDefaultEvent() {
        PublishRequest r = parse("{\"channel\":\"a\",\"data\":{\"x\": [1, 2.50]}}");
        assertThat(r.channels()).containsExactly("a");
        assertThat(r.multi()).isFalse();
        assertThat(r.event()).isEqualTo("message");
        assertThat(new String(r.data(), StandardCharsets.UTF_8)).isEqualTo("{\"x\":[1,2.50]}");
        assertThat(r.publications()).singleElement().satisfies(p -> {
            assertThat(p.channel()).isEqualTo("a");
            assertThat(p.from()).isNull();
        });
    }

    @Test
    void severalChannelsKeepTheirOrder() {
        PublishRequest r = parse("{\"channels\":[\"c\",\"a\",\"b\"],\"event\":\"e\",\"data\":null,\"extra\":1}");
        assertThat(r.channels()).containsExactly("c", "a", "b");
        assertThat(r.multi()).isTrue();
        assertThat(new String(r.data(), StandardCharsets.UTF_8)).isEqualTo("null");
        assertThat(r.publications()).extracting(p -> p.channel()).containsExactly("c", "a", "b");
    }

    @Test
    void nullChannelOrEventMeansNotGiven() {
        assertThat(parse("{\"channel\":null,\"channels\":[\"a\"],\"event\":null,\"data\":1}").event()).isEqualTo("message");
    }

    @Test
    void eachMistakeHasItsCode() {
        refused("[]", 400, "bad_json");
        refused("\"text\"", 400, "bad_json");
        refused("{\"data\":1}", 400, "bad_field");
        refused("{\"channel\":\"a\"}", 400, "bad_field");
        refused("{\"channel\":true,\"data\":1}", 400, "bad_field");
        refused("{\"channel\":\"a b\",\"data\":1}", 400, "bad_channel");
        refused("{\"channel\":\"\",\"data\":1}", 400, "bad_channel");
        refused("{\"channel\":\"a\",\"event\":5,\"data\":1}", 400, "bad_field");
        refused("{\"channel\":\"a\",\"event\":\"\",\"data\":1}", 400, "bad_event");
        refused("{\"channel\":\"a\",\"event\":\"sb:x\",\"data\":1}", 400, "bad_event");
        refused("{\"channel\":\"a\",\"channels\":[\"b\"],\"data\":1}", 400, "bad_field");
        refused("{\"channels\":{},\"data\":1}", 400, "bad_field");
        refused("{\"channels\":[],\"data\":1}", 400, "bad_field");
        refused("{\"channels\":[1],\"data\":1}", 400, "bad_field");
        refused("{\"channels\":[\"a\",\"b\",\"c\",\"d\"],\"data\":1}", 400, "too_many_channels");
        refused("{\"channels\":[\"a\",\"b\",\"a\"],\"data\":1}", 400, "duplicate_channel");
        refused("{\"channel\":\"a\",\"data\":\"seventeen chars!\"}", 413, "too_large");
    }

    @Test
    void dataExactlyAtTheLimitIsTaken() {
        assertThat(parse("{\"channel\":\"a\",\"data\":\"fourteen chars\"}").data()).hasSize(16);
    }
}
