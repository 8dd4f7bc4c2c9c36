package io.switchboard.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.error.SwitchboardException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelNameTest {
    private static final String ALLOWED =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-=@,.;:";

    @Test
    void acceptsEveryAllowedCharacter() {
        for (char c : ALLOWED.toCharArray()) {
            String name = String.valueOf(c);
            assertThat(ChannelName.isValid(name)).as("'%s'", name).isTrue();
            assertThat(ChannelName.check(name)).isEqualTo(name);
        }
        assertThat(ChannelName.check(ALLOWED)).isEqualTo(ALLOWED);
        assertThat(ChannelName.check("private-room.1;user=7@example,com:x")).isNotNull();
    }

    @Test
    void refusesEveryOtherAsciiCharacter() {
        for (char c = 0; c < 128; c++) {
            if (ALLOWED.indexOf(c) >= 0) continue;
            String name = "ok" + c + "ok";
            assertThat(ChannelName.isValid(name)).as("char %d", (int) c).isFalse();
            assertBad(name, "may only hold");
        }
    }

    @Test
    void takes164CharactersButNot165() {
        String max = "c".repeat(164);
        assertThat(ChannelName.check(max)).isEqualTo(max);
        assertThat(ChannelName.isValid(max + "c")).isFalse();
        assertBad(max + "c", "longer than 164");
    }

    @Test
    void refusesMissingNames() {
        assertThat(ChannelName.isValid("")).isFalse();
        assertThat(ChannelName.isValid(null)).isFalse();
        assertBad("", "missing");
        assertBad(null, "missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"caf\u00e9", "\u65b0\u95fb", "emoji\ud83d\ude00", "\u0130", "news\u0000", " news", "news ",
            "a b", "a/b", "/", "a\tb", "a\nb", "a#b", "a?b", "a&b", "a%20b", "a+b", "a*b", "\u0661"})
    void refusesUnicodeSpacesAndSeparators(String name) {
        assertThat(ChannelName.isValid(name)).isFalse();
        assertBad(name, "may only hold");
    }

    private static void assertBad(String name, String reasonPart) {
        assertThatThrownBy(() -> ChannelName.check(name)).isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("bad_channel");
            assertThat(e.reason()).contains(reasonPart);
        });
    }
}
