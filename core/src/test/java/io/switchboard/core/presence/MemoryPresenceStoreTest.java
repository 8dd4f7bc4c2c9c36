package io.switchboard.core.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MemoryPresenceStoreTest {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private MemoryPresenceStore store;

    private MemoryPresenceStore start(Duration grace) {
        store = new MemoryPresenceStore(grace);
        store.start(new PresenceListener() {
            @Override
            public void onJoin(String channel, Member member) {
                events.add("join " + channel + " " + member.user());
            }

            @Override
            public void onLeave(String channel, Member member) {
                events.add("leave " + channel + " " + member.user());
            }
        });
        return store;
    }

    @AfterEach
    void stop() {
        store.close();
    }

    private static Member member(String user, String infoJson) {
        return new Member(user, infoJson == null ? null : infoJson.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void three_connections_of_one_user_are_one_member_who_joins_once_and_leaves_with_the_last() {
        start(Duration.ZERO);
        store.add("presence-room", member("ann", null), "tab-1");
        store.add("presence-room", member("ann", null), "tab-2");
        store.add("presence-room", member("ann", null), "tab-3");
        store.add("presence-room", member("bob", null), "b-1");

        assertThat(store.members("presence-room").toCompletableFuture().join()).extracting(Member::user)
                .containsExactly("ann", "bob");
        assertThat(events).containsExactly("join presence-room ann", "join presence-room bob");

        store.remove("presence-room", "tab-1");
        store.remove("presence-room", "tab-2");
        assertThat(events).hasSize(2);
        store.remove("presence-room", "tab-3");

        assertThat(events).containsExactly("join presence-room ann", "join presence-room bob", "leave presence-room ann");
        assertThat(store.members("presence-room").toCompletableFuture().join()).extracting(Member::user).containsExactly("bob");
    }

    @Test
    void a_user_back_within_the_grace_never_left_and_one_who_stays_away_leaves_after_it() {
        start(Duration.ofMillis(300));
        store.add("presence-room", member("ann", null), "tab-1");
        store.remove("presence-room", "tab-1");
        store.add("presence-room", member("ann", null), "tab-2"); // a page reload

        assertThat(events).containsExactly("join presence-room ann");

        long removed = System.nanoTime();
        store.remove("presence-room", "tab-2");
        Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> events.size() == 2);
        assertThat((System.nanoTime() - removed) / 1_000_000).isGreaterThanOrEqualTo(250);
        assertThat(events).containsExactly("join presence-room ann", "leave presence-room ann");
        assertThat(store.members("presence-room").toCompletableFuture().join()).isEmpty();
    }

    @Test
    void the_newest_info_is_shown_and_unknown_connections_are_ignored() {
        start(Duration.ZERO);
        store.add("presence-room", member("ann", "{\"v\":1}"), "tab-1");
        store.add("presence-room", member("ann", "{\"v\":2}"), "tab-2");
        store.remove("presence-room", "nobody");
        store.remove("other", "tab-1");

        Member ann = store.members("presence-room").toCompletableFuture().join().get(0);
        assertThat(new String(ann.info(), StandardCharsets.UTF_8)).isEqualTo("{\"v\":2}");
        assertThat(events).containsExactly("join presence-room ann");
    }
}
