package io.switchboard.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.broker.HistoryPolicy;
import io.switchboard.core.error.SwitchboardException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessTest {
    private static final HistoryPolicy DEFAULT_HISTORY = new HistoryPolicy(100, Duration.ofMinutes(10));
    private final Access access = new Access(List.of(
            new Namespace("chat-*", new HistoryPolicy(500, Duration.ofHours(1)), null, true, 3, 1024),
            new Namespace("private-chat-*", null, null, true, null, null),
            new Namespace("presence-quiet-*", null, false, null, null, null),
            new Namespace("lobby", null, true, null, null, null)), DEFAULT_HISTORY, 65536);

    private static Identity user(String sub, List<String> channels, List<String> publish) {
        return new Identity(sub, channels, publish, null, 0);
    }

    @ParameterizedTest
    @CsvSource({"news,news,true", "news,newsy,false", "*,anything,true", "private-team-*,private-team-7,true",
            "private-team-*,private-team-,true", "private-team-*,private-teams,false", "a*b*c,abxbyc,true",
            "a*b*c,abxbyd,false", "*-end,x-end,true", "**,x,true", "a,,false"})
    void globs_match_whole_names(String pattern, String channel, boolean matches) {
        assertThat(ChannelPattern.matches(pattern, channel == null ? "" : channel)).isEqualTo(matches);
    }

    @Test
    void public_channels_are_read_by_anyone() {
        assertThatCode(() -> access.checkRead(Identity.ANONYMOUS, "news")).doesNotThrowAnyException();
    }

    @Test
    void restricted_channels_need_a_token_whose_patterns_match() {
        assertRefused(() -> access.checkRead(Identity.ANONYMOUS, "private-x"), 401);
        assertRefused(() -> access.checkRead(user("u", List.of("private-y"), List.of()), "private-x"), 403);
        assertThatCode(() -> access.checkRead(user("u", List.of("private-*"), List.of()), "private-x"))
                .doesNotThrowAnyException();
    }

    @Test
    void presence_channels_also_need_a_user() {
        assertRefused(() -> access.checkRead(user(null, List.of("*"), List.of()), "presence-room"), 403);
        assertThatCode(() -> access.checkRead(user("u", List.of("presence-*"), List.of()), "presence-room"))
                .doesNotThrowAnyException();
    }

    @Test
    void clients_publish_by_token_pattern_or_where_the_namespace_opens_it() {
        assertRefused(() -> access.checkPublish(Identity.ANONYMOUS, "news"), 401);
        assertRefused(() -> access.checkPublish(user("u", List.of(), List.of("sport")), "news"), 403);
        assertThatCode(() -> access.checkPublish(user("u", List.of(), List.of("ne*")), "news")).doesNotThrowAnyException();
        assertThatCode(() -> access.checkPublish(Identity.ANONYMOUS, "chat-1")).doesNotThrowAnyException();
        // An open namespace on a restricted channel still needs the right to read it.
        assertRefused(() -> access.checkPublish(Identity.ANONYMOUS, "private-chat-1"), 401);
        assertThatCode(() -> access.checkPublish(user("u", List.of("private-chat-*"), List.of()), "private-chat-1"))
                .doesNotThrowAnyException();
    }

    @Test
    void namespaces_set_presence_history_and_limits_first_match_wins() {
        assertThat(access.presence("presence-room")).isTrue();
        assertThat(access.presence("presence-quiet-1")).isFalse();
        assertThat(access.presence("lobby")).isTrue();
        assertThat(access.presence("news")).isFalse();
        assertThat(access.history("chat-1").size()).isEqualTo(500);
        assertThat(access.history("news")).isEqualTo(DEFAULT_HISTORY);
        assertThat(access.maxDataBytes("chat-1")).isEqualTo(1024);
        assertThat(access.maxDataBytes("news")).isEqualTo(65536);
        assertThat(access.maxSubscribers("chat-1")).isEqualTo(3);
        assertThat(access.maxSubscribers("news")).isEqualTo(Integer.MAX_VALUE);
    }

    private static void assertRefused(Runnable r, int status) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.status()).isEqualTo(status));
    }
}
