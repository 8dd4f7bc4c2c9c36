package io.switchboard.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.error.SwitchboardException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventNameTest {
    private static final String ALLOWED =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.:";

    @Test
    void acceptsEveryAllowedCharacter() {
        for (char c : ALLOWED.toCharArray()) {
            String name = String.valueOf(c);
            assertThat(EventName.check(name)).as("'%s'", name).isEqualTo(name);
        }
        // All 66 allowed characters do not fit in one 64-character name: take them in two.
        assertThat(EventName.check(ALLOWED.substring(0, 64))).isEqualTo(ALLOWED.substring(0, 64));
        assertThat(EventName.check(ALLOWED.substring(2))).isEqualTo(ALLOWED.substring(2));
        assertThat(EventName.check("chat.message:new_v-2")).isEqualTo("chat.message:new_v-2");
    }

    @Test
    void refusesEveryOtherAsciiCharacter() {
        for (char c = 0; c < 128; c++) {
            if (ALLOWED.indexOf(c) >= 0) continue;
            assertBad("ok" + c + "ok", "1-64 characters");
        }
    }

    @Test
    void nullIsTheDefaultEvent() {
        assertThat(EventName.check(null)).isEqualTo("message").isEqualTo(EventName.DEFAULT);
    }

    @Test
    void takes64CharactersButNot65() {
        String max = "e".repeat(64);
        assertThat(EventName.check(max)).isEqualTo(max);
        assertBad(max + "e", "1-64 characters");
        assertBad("", "1-64 characters");
    }

    @Test
    void theSbPrefixIsReservedForControlItems() {
        for (String reserved : new String[] {"sb:", "sb:join", "sb:gap", "sb:error", "sb:anything.else"}) {
            assertThat(EventName.isValid(reserved)).isTrue();
            assertBad(reserved, "reserved");
        }
        for (String fine : new String[] {"sb", "sb.join", "sbx:join", "x:sb:join", "Sb-join"}) {
            assertThat(EventName.check(fine)).isEqualTo(fine);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"caf\u00e9", "a b", "a/b", "a=b", "a@b", "a,b", "a;b", " a", "\u0661"})
    void refusesWhatChannelsMayHoldButEventsMayNot(String name) {
        assertThat(EventName.isValid(name)).isFalse();
        assertBad(name, "1-64 characters");
    }

    private static void assertBad(String name, String reasonPart) {
        assertThatThrownBy(() -> EventName.check(name)).isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("bad_event");
            assertThat(e.reason()).contains(reasonPart);
        });
    }
}
