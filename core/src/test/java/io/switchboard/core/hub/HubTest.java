package io.switchboard.core.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.auth.Namespace;
import io.switchboard.core.broker.HistoryPolicy;
import io.switchboard.core.broker.MemoryBroker;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.RecordingSubscriber.Event;
import io.switchboard.core.hub.RecordingSubscriber.Gap;
import io.switchboard.core.hub.RecordingSubscriber.Got;
import io.switchboard.core.hub.RecordingSubscriber.Ok;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Hub on a real {@link MemoryBroker} and test loops: checks, subscribe/replay/live, fan-out and gaps. */
class HubTest extends HubTestBase {
    // ---- publish and history checks ----

    @Test
    void publishRefusesBadChannels() {
        Hub hub = hub(HubConfig.DEFAULT);
        for (String bad : new String[] {"", "a/b", "white space", "x".repeat(165), "caf\u00e9"}) {
            assertRefused(() -> hub.publish(pub(bad, "message", "1")), 400, "bad_channel");
        }
        // Refusals took no offsets.
        assertThat(join(hub.publish(pub("ok", "message", "1"))).offset()).isEqualTo(1);
    }

    @Test
    void publishRefusesBadAndReservedEvents() {
        Hub hub = hub(HubConfig.DEFAULT);
        for (String bad : new String[] {"", "has space", "a/b", "e".repeat(65), "sb:join", "sb:"}) {
            assertRefused(() -> hub.publish(pub("news", bad, "1")), 400, "bad_event");
        }
        assertThat(join(hub.publish(pub("news", "sb", "1"))).event()).isEqualTo("sb");
        assertThat(join(hub.publish(pub("news", "x.sb:join", "1"))).offset()).isEqualTo(2);
    }

    @Test
    void publishRefusesDataOverTheLimitWith413() {
        Hub hub = hub(HubConfig.DEFAULT.withMaxDataBytes(16));
        String sixteen = "\"" + "x".repeat(14) + "\"";
        assertRefused(() -> hub.publish(pub("news", "message", "\"" + "x".repeat(15) + "\"")), 413, "too_large");
        // The limit counts encoded bytes, not characters: 8 two-byte characters + quotes = 18 bytes.
        assertRefused(() -> hub.publish(pub("news", "message", "\"" + "\u00e9".repeat(8) + "\"")), 413, "too_large");

        Message m = join(hub.publish(pub("news", "message", sixteen)));
        assertThat(m.data()).hasSize(16);
        assertThat(m.offset()).isEqualTo(1);
    }

    @Test
    void historyChecksItsLimit() {
        Hub hub = hub(HubConfig.DEFAULT);
        for (int bad : new int[] {0, -1, 1001}) {
            assertRefused(() -> hub.history("news", null, bad), 400, "bad_limit");
        }
        assertRefused(() -> hub.history("bad/channel", null, 10), 400, "bad_channel");
        for (int i = 1; i <= 150; i++) join(hub.publish(pub("news", "message", Integer.toString(i))));

        assertThat(offsets(join(hub.history("news", null, 1)).messages())).containsExactly(150L);
        assertThat(join(hub.history("news", null, 1000)).messages()).hasSize(150);
        // No limit: the default of 100, newest, oldest first.
        assertThat(offsets(join(hub.history("news", null, null)).messages())).containsExactlyElementsOf(range(51, 150));
    }

    @Test
    void positionIsTheChannelsLatest() {
        Hub hub = hub(HubConfig.DEFAULT);
        Position empty = join(hub.position("news"));
        assertThat(empty.offset()).isZero();
        Message m = join(hub.publish(pub("news", "message", "1")));
        assertThat(join(hub.position("news"))).isEqualTo(m.position()).isEqualTo(new Position(empty.epoch(), 1));
        assertRefused(() -> hub.position(""), 400, "bad_channel");
    }

    // ---- subscribing ----

    @Test
    void subscribeFromNowGetsTheLatestPositionThenOnlyLiveMessages() {
        Hub hub = hub(HubConfig.DEFAULT);
        Message third = publishMany(hub, "news", 3);
        RecordingSubscriber s = subscriber("s", loop("L"));

        hub.subscribe(s, List.of(new SubscribeRequest("news", null)), s);
        assertThat(s.awaitSubscribed()).containsExactly(new Subscribed("news", third.position(), null));
        publishMany(hub, "news", 2);
        s.awaitOffset("news", 5);

        assertThat(s.events().get(0)).isInstanceOf(Ok.class);
        assertThat(s.offsets("news")).containsExactly(4L, 5L);
        assertThat(s.gaps()).isEmpty();
    }

    @Test
    void subscribeWithSinceReplaysThenGoesLiveInOrder() {
        Hub hub = hub(HubConfig.DEFAULT);
        String epoch = publishMany(hub, "news", 5).epoch();
        RecordingSubscriber s = subscriber("s", loop("L"));

        hub.subscribe(s, List.of(new SubscribeRequest("news", new Position(epoch, 2))), s);
        assertThat(s.awaitSubscribed()).containsExactly(new Subscribed("news", new Position(epoch, 2), true));
        publishMany(hub, "news", 2);
        s.awaitOffset("news", 7);

        assertThat(s.events().get(0)).isInstanceOf(Ok.class);
        assertThat(s.offsets("news")).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(s.gaps()).isEmpty();
    }

    @Test
    void subscribeWithAnUnknownEpochGetsAGapWithTheLatestBeforeAnyMessage() {
        Hub hub = hub(HubConfig.DEFAULT);
        Position latest = publishMany(hub, "news", 3).position();
        String other = latest.epoch().equals("gone") ? "lost" : "gone";
        RecordingSubscriber s = subscriber("s", loop("L"));

        hub.subscribe(s, List.of(new SubscribeRequest("news", new Position(other, 2))), s);
        assertThat(s.awaitSubscribed()).containsExactly(new Subscribed("news", latest, false));
        publishMany(hub, "news", 1);
        s.awaitOffset("news", 4);

        List<Event> events = s.events();
        assertThat(events).hasSize(3);
        assertThat(events.get(0)).isInstanceOf(Ok.class);
        assertThat(events.get(1)).isEqualTo(new Gap("news", latest));
        assertThat(((Got) events.get(2)).message().position()).isEqualTo(latest.next());
    }

    @Test
    void subscribeFromATrimmedPositionGetsAGap() {
        Hub hub = hub(HubConfig.DEFAULT, new HistoryPolicy(2, Duration.ofHours(1)));
        Position latest = publishMany(hub, "news", 5).position();
        RecordingSubscriber s = subscriber("s", loop("L"));

        hub.subscribe(s, List.of(new SubscribeRequest("news", new Position(latest.epoch(), 1))), s);
        assertThat(s.awaitSubscribed()).containsExactly(new Subscribed("news", latest, false));
        publishMany(hub, "news", 1);
        s.awaitOffset("news", 6);
        assertThat(s.events("news")).hasSize(2).first().isEqualTo(new Gap("news", latest));
        assertThat(s.offsets("news")).containsExactly(6L);
    }

    @Test
    void aSecondSubscribeToTheSameChannelIsRefusedAndLeavesTheFirstAlone() {
        Hub hub = hub(HubConfig.DEFAULT);
        RecordingSubscriber s = subscriber("s", loop("L"));
        hub.subscribe(s, List.of(new SubscribeRequest("news", null)), s);
        s.awaitSubscribed(0);

        hub.subscribe(s, List.of(new SubscribeRequest("news", null)), s);
        SwitchboardException refused = s.awaitFailed(1);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("already_subscribed");
        assertThat(hub.subscribers("news")).isEqualTo(1);

        // A request that names a new channel and a taken one subscribes to neither.
        hub.subscribe(s, List.of(new SubscribeRequest("sport", null), new SubscribeRequest("news", null)), s);
        assertThat(s.awaitFailed(2).code()).isEqualTo("already_subscribed");
        assertThat(hub.subscribers("sport")).isZero();
        assertThat(hub.channels(null)).isEqualTo(Map.of("news", 1));

        publishMany(hub, "news", 2);
        s.awaitOffset("news", 2);
        assertThat(s.offsets("news")).containsExactly(1L, 2L);
    }

    @Test
    void aNamespaceCapsSubscribersPerChannelWith503AndFreesTheSlotOnUnsubscribe() {
        Hub hub = hub(HubConfig.DEFAULT.withNamespaces(List.of(new Namespace("room-*", null, null, null, 2, null))));
        RecordingSubscriber a = subscriber("a", loop("L1"));
        RecordingSubscriber b = subscriber("b", loop("L2"));
        RecordingSubscriber c = subscriber("c", loop("L1"));
        hub.subscribe(a, List.of(new SubscribeRequest("room-1", null)), a);
        a.awaitSubscribed(0);
        hub.subscribe(b, List.of(new SubscribeRequest("room-1", null)), b);
        b.awaitSubscribed(0);

        hub.subscribe(c, List.of(new SubscribeRequest("other", null), new SubscribeRequest("room-1", null)), c);
        SwitchboardException full = c.awaitFailed(0);
        assertThat(full.status()).isEqualTo(503);
        assertThat(full.code()).isEqualTo("channel_full");
        assertThat(hub.subscribers("room-1")).isEqualTo(2);
        assertThat(hub.subscribers("other")).as("a refused request subscribes to nothing").isZero();

        hub.unsubscribe(a, "room-1"); // runs on a's loop: wait for it before taking the slot
        org.awaitility.Awaitility.await().until(() -> hub.subscribers("room-1") == 1);
        hub.subscribe(c, List.of(new SubscribeRequest("room-1", null)), c);
        c.awaitSubscribed(1);
        assertThat(hub.subscribers("room-1")).isEqualTo(2);
        assertThat(hub.subscribers("room-2")).isZero();
    }

    @Test
    void unsubscribeStopsDeliveryAndTheCountsGoToZero() {
        Hub hub = hub(HubConfig.DEFAULT);
        TestLoop loop = loop("L");
        RecordingSubscriber a = subscriber("a", loop);
        RecordingSubscriber b = subscriber("b", loop);
        hub.subscribe(a, List.of(new SubscribeRequest("room.1", null), new SubscribeRequest("lobby", null)), a);
        hub.subscribe(b, List.of(new SubscribeRequest("room.1", null)), b);
        a.awaitSubscribed();
        b.awaitSubscribed();
        assertThat(hub.subscribers("room.1")).isEqualTo(2);
        assertThat(hub.channels("room")).isEqualTo(Map.of("room.1", 2));
        assertThat(hub.channels(null)).isEqualTo(Map.of("room.1", 2, "lobby", 1));

        publishMany(hub, "room.1", 1);
        a.awaitOffset("room.1", 1);
        b.awaitOffset("room.1", 1);
        hub.unsubscribe(a, "room.1");
        hub.unsubscribe(b, "room.1");
        hub.unsubscribe(b, "never-subscribed");
        loop.drain();

        assertThat(hub.subscribers("room.1")).isZero();
        assertThat(hub.channels("room")).isEmpty();
        assertThat(hub.channels(null)).isEqualTo(Map.of("lobby", 1));

        publishMany(hub, "room.1", 1);
        publishMany(hub, "lobby", 1);
        a.awaitOffset("lobby", 1);
        loop.drain();
        assertThat(a.offsets("room.1")).containsExactly(1L);
        assertThat(b.offsets("room.1")).containsExactly(1L);
    }

    @Test
    void fanOutIsOneTaskPerLoopPerMessage() {
        Hub hub = hub(HubConfig.DEFAULT);
        TestLoop one = loop("one");
        TestLoop two = loop("two");
        List<RecordingSubscriber> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RecordingSubscriber s = subscriber("s" + i, i < 3 ? one : two);
            hub.subscribe(s, List.of(new SubscribeRequest("news", null)), s);
            all.add(s);
        }
        all.forEach(RecordingSubscriber::awaitSubscribed);
        one.drain();
        two.drain();
        one.resetExecutes();
        two.resetExecutes();

        publishMany(hub, "news", 1);
        for (RecordingSubscriber s : all) s.awaitOffset("news", 1);
        assertThat(one.executes()).isEqualTo(1);
        assertThat(two.executes()).isEqualTo(1);

        publishMany(hub, "news", 1);
        for (RecordingSubscriber s : all) s.awaitOffset("news", 2);
        assertThat(one.executes()).isEqualTo(2);
        assertThat(two.executes()).isEqualTo(2);
    }
}
