package io.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.switchboard.core.presence.PresenceStore;
import io.switchboard.core.presence.PresenceStoreContract;
import io.switchboard.testkit.RedisProcess;
import java.time.Duration;
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
    }
}
