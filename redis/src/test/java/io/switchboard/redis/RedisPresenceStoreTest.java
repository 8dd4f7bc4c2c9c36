package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.event.EventSink;
import io.switchboard.core.event.ServerEvent;
import io.switchboard.core.presence.Member;
import io.switchboard.core.presence.PresenceListener;
import io.switchboard.core.presence.PresenceStore;
import io.switchboard.core.presence.PresenceStoreContract;
import io.switchboard.testkit.RedisProcess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The PresenceStore contract on {@link RedisPresenceStore} against a real redis-server, plus many nodes. */
class RedisPresenceStoreTest extends PresenceStoreContract {
    private static final Duration NODE_TTL = Duration.ofMillis(900);
    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisProcess.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected PresenceStore newStore(Duration grace) {
        return new RedisPresenceStore(RedisOptions.of(redis.uri()).withNodeTtl(NODE_TTL), grace);
    }

    @Test
    void every_node_sees_every_member_and_is_told_of_every_join_and_leave_once() {
        Started a = start(Duration.ZERO);
        Started c = start(Duration.ZERO);
        String ch = channel();
        join(a.store().add(ch, member("ann", "{\"n\":\"A\"}"), "a-1"));
        c.awaitEvents("join " + ch + " ann"); // two nodes' changes have no order between them: make one
        join(c.store().add(ch, member("cid", null), "c-1"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(c.users(ch)).containsExactly("ann", "cid"));
        assertThat(a.users(ch)).containsExactly("ann", "cid");
        a.awaitEvents("join " + ch + " ann", "join " + ch + " cid");
        c.awaitEvents("join " + ch + " ann", "join " + ch + " cid");

        // The same user on both nodes is one member: it leaves only when neither holds it.
        join(c.store().add(ch, member("ann", "{\"n\":\"A\"}"), "c-2"));
        join(a.store().remove(ch, "a-1"));
        join(c.store().remove(ch, "c-2"));
        c.awaitEvents("join " + ch + " ann", "join " + ch + " cid", "leave " + ch + " ann");
        a.awaitEvents("join " + ch + " ann", "join " + ch + " cid", "leave " + ch + " ann");
        assertThat(a.users(ch)).containsExactly("cid");
    }

    @Test
    void a_dead_nodes_members_leave_within_the_bound_and_a_stopped_nodes_at_once() {
        Started a = start(Duration.ZERO);
        Started c = start(Duration.ZERO);
        String ch = channel();
        join(a.store().add(ch, member("ann", null), "a-1"));
        join(c.store().add(ch, member("cid", null), "c-1"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(c.users(ch)).containsExactly("ann", "cid"));

        long died = System.nanoTime();
        ((RedisPresenceStore) a.store()).abandon();
        c.awaitEvents("join " + ch + " ann", "join " + ch + " cid", "leave " + ch + " ann");
        long tookMs = (System.nanoTime() - died) / 1_000_000;
        assertThat(tookMs).isLessThanOrEqualTo(RedisOptions.of("redis://x").withNodeTtl(NODE_TTL).presenceBound().toMillis() + 500);
        assertThat(c.users(ch)).containsExactly("cid");

        // A node that stops gracefully takes its members out itself: its users have left when close returns.
        RedisPresenceStore d = (RedisPresenceStore) newStore(Duration.ZERO);
        d.start(recording(new CopyOnWriteArrayList<>()));
        join(d.add(ch, member("dan", null), "d-1"));
        assertThat(c.users(ch)).containsExactly("cid", "dan");
        d.close();
        assertThat(c.users(ch)).containsExactly("cid");
        c.awaitEvents("join " + ch + " ann", "join " + ch + " cid", "leave " + ch + " ann", "join " + ch + " dan",
                "leave " + ch + " dan");
    }

    @Test
    void only_the_node_that_made_a_change_takes_it_as_its_own_so_member_events_are_sent_once() {
        List<String> onA = new CopyOnWriteArrayList<>();
        List<String> onC = new CopyOnWriteArrayList<>();
        RedisPresenceStore a = (RedisPresenceStore) newStore(Duration.ZERO);
        RedisPresenceStore c = (RedisPresenceStore) newStore(Duration.ZERO);
        try {
            a.start(recording(onA));
            c.start(recording(onC));
            String ch = channel();
            join(a.add(ch, member("ann", null), "a-1"));
            join(c.add(ch, member("cid", null), "c-1"));
            join(a.remove(ch, "a-1"));
            List<String> expectedOnA = List.of("own join ann", "remote join cid", "own leave ann");
            List<String> expectedOnC = List.of("remote join ann", "own join cid", "remote leave ann");
            await().atMost(WAIT).untilAsserted(() -> assertThat(onA).containsExactlyElementsOf(expectedOnA));
            await().atMost(WAIT).untilAsserted(() -> assertThat(onC).containsExactlyElementsOf(expectedOnC));

            // A dead node's leaves are the reaping node's own.
            join(a.add(ch, member("ann", null), "a-2"));
            await().atMost(WAIT).until(() -> onC.size() == 4);
            a.abandon();
            await().atMost(WAIT).untilAsserted(() -> assertThat(onC).endsWith("remote join ann", "own leave ann"));
        } finally {
            a.close();
            c.close();
        }
    }

    private static PresenceListener recording(List<String> events) {
        return new PresenceListener() {
            @Override
            public void onJoin(String channel, Member member) {
                events.add("own join " + member.user());
            }

            @Override
            public void onLeave(String channel, Member member) {
                events.add("own leave " + member.user());
            }

            @Override
            public void onRemoteJoin(String channel, Member member) {
                events.add("remote join " + member.user());
            }

            @Override
            public void onRemoteLeave(String channel, Member member) {
                events.add("remote leave " + member.user());
            }
        };
    }

    @Test
    void a_channel_is_occupied_and_vacated_once_across_nodes_and_a_dead_nodes_channels_are_vacated_by_the_living() {
        List<String> sent = new CopyOnWriteArrayList<>();
        RedisPresenceStore a = (RedisPresenceStore) newStore(Duration.ZERO);
        RedisPresenceStore c = (RedisPresenceStore) newStore(Duration.ZERO);
        try {
            EventSink fromA = a.channelEvents(e -> sent.add("A " + e.type().wireName() + " " + e.channel()));
            EventSink fromC = c.channelEvents(e -> sent.add("C " + e.type().wireName() + " " + e.channel()));
            a.start(recording(new CopyOnWriteArrayList<>()));
            c.start(recording(new CopyOnWriteArrayList<>()));
            // Right after the start, while the first heartbeat registers the node: each is still one event.
            List<String> burst = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) burst.add(channel());
            for (String ch : burst) fromC.emit(event(ServerEvent.Type.CHANNEL_OCCUPIED, ch));
            await().atMost(WAIT).untilAsserted(() -> assertThat(sent).containsExactlyInAnyOrderElementsOf(
                    burst.stream().map(ch -> "C channel_occupied " + ch).toList()));
            sent.clear();
            String shared = channel();
            String onlyA = channel();
            fromA.emit(event(ServerEvent.Type.CHANNEL_OCCUPIED, shared));
            await().atMost(WAIT).untilAsserted(() -> assertThat(sent).containsExactly("A channel_occupied " + shared));
            // Two nodes' events have no order between them: each step waits until Redis has the last.
            fromC.emit(event(ServerEvent.Type.CHANNEL_OCCUPIED, shared));
            await().atMost(WAIT).until(() -> nodesWithSubscribers(shared).equals(":2"));
            fromA.emit(event(ServerEvent.Type.CHANNEL_VACATED, shared)); // C still has subscribers: not vacated
            await().atMost(WAIT).until(() -> nodesWithSubscribers(shared).equals(":1"));
            fromC.emit(event(ServerEvent.Type.CHANNEL_VACATED, shared));
            await().atMost(WAIT).untilAsserted(() -> assertThat(sent).hasSize(2));
            fromA.emit(event(ServerEvent.Type.SESSION_CONNECTED, null)); // other events pass
            await().atMost(WAIT).untilAsserted(() -> assertThat(sent).hasSize(3));
            assertThat(sent).containsExactly("A channel_occupied " + shared, "C channel_vacated " + shared,
                    "A session_connected null");

            fromA.emit(event(ServerEvent.Type.CHANNEL_OCCUPIED, onlyA));
            await().atMost(WAIT).untilAsserted(() -> assertThat(sent).hasSize(4));
            a.abandon();
            await().atMost(WAIT).untilAsserted(() -> assertThat(sent).hasSize(5));
            assertThat(sent.get(4)).isEqualTo("C channel_vacated " + onlyA);
        } finally {
            a.close();
            c.close();
        }
    }

    @Test
    void a_user_who_leaves_while_redis_is_away_is_not_listed_once_it_is_back() {
        // Its own Redis, restarted with what it had (SAVE, then a restart that loads it): only the leave is lost.
        try (RedisProcess own = RedisProcess.start()) {
            RedisPresenceStore a = new RedisPresenceStore(RedisOptions.of(own.uri()).withNodeTtl(Duration.ofSeconds(3))
                    .withMaxReconnectDelay(Duration.ofMillis(100)), Duration.ZERO);
            try {
                a.start(recording(new CopyOnWriteArrayList<>()));
                String ch = channel();
                join(a.add(ch, member("ann", null), "a-1"));
                join(a.add(ch, member("bob", null), "b-1"));
                assertThat(own.command("SAVE")).isEqualTo("+OK");
                own.kill();
                join(a.remove(ch, "a-1")); // cannot reach Redis
                own.restart();
                assertThat(own.command("HEXISTS", "sb:{" + ch + "}:members", a.node() + "/ann")).isEqualTo(":1");
                await().atMost(WAIT).untilAsserted(() ->
                        assertThat(join(a.members(ch))).extracting(Member::user).containsExactly("bob"));
            } finally {
                a.close();
            }
        }
    }

    private static String nodesWithSubscribers(String channel) {
        return redis.command("SCARD", "sb:{" + channel + "}:nodes");
    }

    private static ServerEvent event(ServerEvent.Type type, String channel) {
        return new ServerEvent(type, System.currentTimeMillis(), channel, null, null, null);
    }
}
