package io.switchboard.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.error.SwitchboardException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PositionTest {

    @Test
    void parsesEpochAndOffset() {
        Position p = Position.parse("q7Zc:42");
        assertThat(p.epoch()).isEqualTo("q7Zc");
        assertThat(p.offset()).isEqualTo(42);
        assertThat(p.toString()).isEqualTo("q7Zc:42");
        assertThat(Position.parse(p.toString())).isEqualTo(p);
    }

    @Test
    void parsesEveryEpochCharacterAndTheLimits() {
        assertThat(Position.parse("aZ09_-:0")).isEqualTo(new Position("aZ09_-", 0));
        String sixteen = "abcdefghijklmnop";
        assertThat(Position.parse(sixteen + ":7").epoch()).isEqualTo(sixteen);
        assertThat(Position.parse("e:999999999999999999").offset()).isEqualTo(999_999_999_999_999_999L);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {":1", "a:", "a", "42", "a:-1", "a:+1", "a:1x", "a:x1", "a: 1", " a:1", "a:1 ",
            "abcdefghijklmnopq:1", "a!b:1", "a.b:1", "a:b:1", "caf\u00e9:1", "a:1.0",
            "a:9223372036854775808", "a:99999999999999999999", "a:\u0661"})
    void refusesMalformedPositionsWithBadPosition(String text) {
        assertThatThrownBy(() -> Position.parse(text)).isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("bad_position");
            assertThat(e.reason()).contains("EPOCH:OFFSET");
        });
    }

    @Test
    void constructorRefusesWhatParseRefuses() {
        assertThatThrownBy(() -> new Position("bad epoch", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Position("", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Position("a", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nextIsOneMoreInTheSameEpoch() {
        assertThat(new Position("e", 41).next()).isEqualTo(new Position("e", 42));
    }
}
