package io.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.error.SwitchboardException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackNameTest {
    @ParameterizedTest
    @ValueSource(strings = {"cb", "_", "$", "$jsonp_1", "parent.onItem", "a.b.c.d", "jQuery3310_1700000000000",
            "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234"})
    void identifiers_joined_by_dots_up_to_64_characters_pass(String name) {
        assertThat(CallbackName.check(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1cb", "a.1b", ".a", "a.", "a..b", "alert(1)", "a b", "a-b", "a[0]", "a;b", "a\nb",
            "café", "<script>", "a/**/b", "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij12345"})
    void anything_else_is_a_400_that_does_not_repeat_it(String name) {
        assertThatThrownBy(() -> CallbackName.check(name))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("bad_callback");
                    if (!name.isEmpty()) assertThat(e.reason()).doesNotContain(name);
                });
    }

    @Test
    void a_missing_callback_is_a_400() {
        assertThatThrownBy(() -> CallbackName.check(null)).isInstanceOf(SwitchboardException.class)
                .hasMessageContaining("missing");
    }
}
