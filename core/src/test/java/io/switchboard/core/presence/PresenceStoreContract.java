package io.switchboard.core.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PresenceStore} does (see its Javadoc), run against each implementation through
 * {@link #newStore}: members are users, not connections; a user joins with its first connection and leaves
 * when its last has been gone for the grace; the newest info is shown; unknown connections are ignored.
 * Listener calls may arrive on another thread, so the checks wait for them. Channel names are unique per
 * test, so a store backed by a shared server needs no cleanup between tests.
 */
public abstract class PresenceStoreContract {
    protected static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final List<PresenceStore> stores = new ArrayList<>();
    private final String run = Long.toString(System.nanoTime() & 0xffffff, 36);

    /** A new store with leave grace {@code grace}; not yet started. */
    protected abstract PresenceStore newStore(Duration grace);

    @AfterEach
    void closeStores() {
        stores.forEach(PresenceStore::close);
    }

    /** A started store and what its listener was told, as {@code "join CHANNEL USER"} / {@code "leave …"}. */
    protected final Started start(Duration grace) {
        PresenceStore store = newStore(grace);
        stores.add(store);
        List<String> events = new CopyOnWriteArrayList<>();
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
        return new Started(store, events);
    }

    /** A presence channel name no other test uses. */
    protected final String channel() {
        return "presence-room-" + run + "-" + NAMES.incrementAndGet();
    }

    protected record Started(PresenceStore store, List<String> events) {
        public List<String> users(String channel) {
            return join(store.members(channel)).stream().map(Member::user).toList();
        }

        /** Waits until the listener was told exactly {@code expected}, in order. */
        public void awaitEvents(String... expected) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(events).containsExactly(expected));
        }
    }

    protected static Member member(String user, String infoJson) {
        return new Member(user, infoJson == null ? null : infoJson.getBytes(StandardCharsets.UTF_8));
    }

    protected static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("presence call did not complete", e);
        }
    }

    @Test
    void three_connections_of_one_user_are_one_member_who_joins_once_and_leaves_with_the_last() {
        Started s = start(Duration.ZERO);
        String ch = channel();
        join(s.store.add(ch, member("ann", null), "tab-1"));
        join(s.store.add(ch, member("ann", null), "tab-2"));
        join(s.store.add(ch, member("ann", null), "tab-3"));
        join(s.store.add(ch, member("bob", null), "b-1"));

        s.awaitEvents("join " + ch + " ann", "join " + ch + " bob");
        assertThat(s.users(ch)).containsExactly("ann", "bob");

        join(s.store.remove(ch, "tab-1"));
        join(s.store.remove(ch, "tab-2"));
        assertThat(s.users(ch)).containsExactly("ann", "bob");
        join(s.store.remove(ch, "tab-3"));

        s.awaitEvents("join " + ch + " ann", "join " + ch + " bob", "leave " + ch + " ann");
        await().atMost(WAIT).untilAsserted(() -> assertThat(s.users(ch)).containsExactly("bob"));
    }

    @Test
    void a_user_back_within_the_grace_never_left_and_one_who_stays_away_leaves_after_it() {
        Started s = start(Duration.ofMillis(300));
        String ch = channel();
        join(s.store.add(ch, member("ann", null), "tab-1"));
        join(s.store.remove(ch, "tab-1"));
        join(s.store.add(ch, member("ann", null), "tab-2")); // a page reload

        s.awaitEvents("join " + ch + " ann");
        long removed = System.nanoTime();
        join(s.store.remove(ch, "tab-2"));
        s.awaitEvents("join " + ch + " ann", "leave " + ch + " ann");
        assertThat((System.nanoTime() - removed) / 1_000_000).isGreaterThanOrEqualTo(250);
        await().atMost(WAIT).untilAsserted(() -> assertThat(s.users(ch)).isEmpty());
    }

    @Test
    void the_newest_info_is_shown_and_unknown_connections_are_ignored() {
        Started s = start(Duration.ZERO);
        String ch = channel();
        join(s.store.add(ch, member("ann", "{\"v\":1}"), "tab-1"));
        join(s.store.add(ch, member("ann", "{\"v\":2}"), "tab-2"));
        join(s.store.remove(ch, "nobody"));
        join(s.store.remove(channel(), "tab-1"));

        await().atMost(WAIT).untilAsserted(() -> {
            Member ann = join(s.store.members(ch)).get(0);
            assertThat(new String(ann.info(), StandardCharsets.UTF_8)).isEqualTo("{\"v\":2}");
        });
        s.awaitEvents("join " + ch + " ann");
    }
}
