package io.switchboard.core.hub;

import io.switchboard.core.auth.Access;
import io.switchboard.core.auth.Identity;
import io.switchboard.core.broker.Broker;
import io.switchboard.core.broker.BrokerListener;
import io.switchboard.core.broker.History;
import io.switchboard.core.broker.HistoryPolicy;
import io.switchboard.core.channel.ChannelName;
import io.switchboard.core.channel.EventName;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.event.EventSink;
import io.switchboard.core.event.ServerEvent;
import io.switchboard.core.message.ItemJson;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.core.message.Publication;
import io.switchboard.core.presence.Member;
import io.switchboard.core.presence.MemoryPresenceStore;
import io.switchboard.core.presence.PresenceListener;
import io.switchboard.core.presence.PresenceStore;
import io.switchboard.core.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heart of a node: checks publishes, keeps this node's subscribers per channel and fans the
 * Broker's messages out to them: each {@link DeliveryLoop} gets one task for whatever messages wait for it
 * (one per message at low rates, several back to back under load; see {@link LoopFanOut}).
 *
 * <p>Subscribing with a position replays then goes live with nothing missed or doubled: the
 * subscription is registered (buffering live messages) before history is read, and the switch from
 * replay to live happens on the subscriber's own loop, skipping what the replay already delivered.
 */
public final class Hub implements BrokerListener, PresenceListener {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final Broker broker;
    private final HubConfig config;
    private final Access access;
    private final PresenceStore presence;
    private final EventSink events;
    private final Clock clock;
    private final ConcurrentHashMap<String, LocalChannel> channels = new ConcurrentHashMap<>();
    /** One fan-out per loop, for every channel's subscribers on it (loops are few and live as long as the Hub). */
    private final ConcurrentHashMap<DeliveryLoop, LoopFanOut> fanOuts = new ConcurrentHashMap<>();

    /** A Hub with the access rules of {@code config}'s namespaces over {@link HistoryPolicy#DEFAULT}. */
    public Hub(Broker broker, HubConfig config) {
        this(broker, config, new Access(config.namespaces(), HistoryPolicy.DEFAULT, config.maxDataBytes()),
                new MemoryPresenceStore(config.presenceGrace()), EventSink.NONE, Clock.system());
    }

    /**
     * @param access   who may read and publish what; the Broker's history policy should come from it too
     * @param presence who is in which presence channel; the Hub owns it from now on
     * @param events   where channel, member and client-publish events go (webhooks)
     */
    public Hub(Broker broker, HubConfig config, Access access, PresenceStore presence, EventSink events, Clock clock) {
        this.broker = broker;
        this.config = config;
        this.access = access;
        this.presence = presence;
        // A store shared by many nodes passes channel_occupied/vacated on only for the cluster's first and last node.
        this.events = presence.channelEvents(events);
        this.clock = clock;
        presence.start(this);
        broker.start(this);
    }

    public HubConfig config() {
        return config;
    }

    public Broker broker() {
        return broker;
    }

    /** Who may read and publish what, and each channel's namespace settings. */
    public Access access() {
        return access;
    }

    // ---- publishing ----

    /**
     * Checks and publishes. Throws {@link SwitchboardException} at once for a bad channel, event or
     * oversized data; the returned stage fails with a 503 when the Broker cannot take it.
     */
    public CompletionStage<Message> publish(Publication p) {
        ChannelName.check(p.channel());
        EventName.check(p.event());
        int max = access.maxDataBytes(p.channel());
        if (p.data().length > max) {
            throw SwitchboardException.tooLarge("message data is " + p.data().length
                    + " bytes encoded; the limit is " + max);
        }
        return broker.publish(p).exceptionallyCompose(Hub::unavailable);
    }

    /**
     * A client's publish: refused at once (401/403) unless {@code client} may publish to the channel, then
     * as {@link #publish}; the publisher's user becomes the message's {@code from}.
     */
    public CompletionStage<Message> publish(Publication p, Identity client) {
        ChannelName.check(p.channel());
        access.checkPublish(client, p.channel());
        Publication as = new Publication(p.channel(), p.event(), p.data(), client.user());
        return publish(as).thenApply(m -> {
            events.emit(new ServerEvent(ServerEvent.Type.CLIENT_PUBLISH, clock.millis(), m.channel(), client.user(),
                    null, m.encoded(ItemJson.FORMAT)));
            return m;
        });
    }

    /** Reads history; {@code limit} null means the default. Bad limits are a 400. */
    public CompletionStage<History> history(String channel, Position since, Integer limit) {
        ChannelName.check(channel);
        int n = limit == null ? config.defaultHistoryLimit() : limit;
        if (n < 1 || n > config.maxHistoryLimit()) {
            throw SwitchboardException.badRequest("bad_limit",
                    "limit must be an integer from 1 to " + config.maxHistoryLimit());
        }
        return broker.history(channel, since, n).exceptionallyCompose(Hub::unavailable);
    }

    /** The members of {@code channel}, by user; empty for channels that keep no presence. */
    public CompletionStage<List<Member>> members(String channel) {
        ChannelName.check(channel);
        return presence.members(channel).exceptionallyCompose(Hub::unavailable);
    }

    /** The channel's latest position. */
    public CompletionStage<Position> position(String channel) {
        ChannelName.check(channel);
        return broker.history(channel, null, 0).thenApply(History::latest).exceptionallyCompose(Hub::unavailable);
    }

    // ---- subscribing ----

    /**
     * Subscribes {@code subscriber} to every requested channel. The callback runs on the subscriber's loop;
     * replayed and live messages follow it. Channel names must already be valid; a subscriber already
     * subscribed to one of them fails the whole call with a 400.
     */
    public void subscribe(Subscriber subscriber, List<SubscribeRequest> requests, SubscribeCallback callback) {
        onLoop(subscriber.loop(), () -> register(subscriber, requests, callback));
    }

    private void register(Subscriber subscriber, List<SubscribeRequest> requests, SubscribeCallback callback) {
        List<Subscription> subs = new ArrayList<>(requests.size());
        for (SubscribeRequest r : requests) {
            LocalChannel lc = acquire(r.channel());
            int max = access.maxSubscribers(r.channel());
            if (lc.subscribers() > max) { // acquire() counted this one already
                release(lc);
                for (Subscription done : subs) drop(done);
                // Counted across loops without a lock: the bound is kept to within a few racing subscribes.
                callback.onFailed(new SwitchboardException(503, "channel_full",
                        r.channel() + " has its maximum of " + max + " subscribers on this node"));
                return;
            }
            LoopGroup group;
            synchronized (lc) {
                group = lc.group(subscriber.loop(), fanOut(subscriber.loop()));
            }
            Subscription s = new Subscription(subscriber, lc);
            if (!group.add(s)) {
                release(lc);
                for (Subscription done : subs) drop(done);
                callback.onFailed(SwitchboardException.badRequest("already_subscribed",
                        "already subscribed to " + r.channel()));
                return;
            }
            subs.add(s);
        }
        // Live messages now buffer in each subscription; read where each one starts.
        List<CompletableFuture<History>> reads = new ArrayList<>(subs.size());
        for (int i = 0; i < subs.size(); i++) {
            SubscribeRequest r = requests.get(i);
            LocalChannel lc = subs.get(i).channel;
            int limit = r.since() == null ? 0 : Integer.MAX_VALUE;
            reads.add(lc.brokerSubscribed
                    .thenCompose(ok -> broker.history(r.channel(), r.since(), limit))
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).whenComplete((ok, error) ->
                onLoop(subscriber.loop(), () -> finish(subs, requests, reads, error, callback)));
    }

    private void finish(List<Subscription> subs, List<SubscribeRequest> requests,
                        List<CompletableFuture<History>> reads, Throwable error, SubscribeCallback callback) {
        if (error != null) {
            for (Subscription s : subs) drop(s);
            log.warn("subscribe failed: {}", cause(error).toString());
            callback.onFailed(SwitchboardException.unavailable("the broker is not reachable; try again"));
            return;
        }
        boolean anyCancelled = false;
        for (Subscription s : subs) anyCancelled |= s.cancelled;
        if (anyCancelled) {
            // Unsubscribed (or the session closed) while we read history: nothing to deliver.
            for (Subscription s : subs) drop(s);
            return;
        }
        List<Subscribed> results = new ArrayList<>(subs.size());
        for (int i = 0; i < subs.size(); i++) {
            History h = reads.get(i).join();
            SubscribeRequest r = requests.get(i);
            Position start = r.since() == null || h.gap() ? h.latest() : r.since();
            // Live messages dropped from an overflowing recovery buffer are not "everything after since".
            Boolean recovered = r.since() == null ? null : !h.gap() && !subs.get(i).losesBuffered(h.cursor());
            results.add(new Subscribed(r.channel(), start, recovered));
        }
        callback.onSubscribed(results);
        for (int i = 0; i < subs.size(); i++) {
            History h = reads.get(i).join();
            subs.get(i).goLive(results.get(i).position(), h.gap(), h.messages());
        }
        for (Subscription s : subs) {
            Identity who = s.subscriber.identity();
            if (s.cancelled || who.user() == null || !access.presence(s.channel.name)) continue;
            s.present = true;
            Member member = new Member(who.user(), who.info());
            quietly(presence.add(s.channel.name, member, s.subscriber.sessionId()), s.channel.name);
        }
    }

    /** Ends a subscription. Safe to call for channels the subscriber is not on. */
    public void unsubscribe(Subscriber subscriber, String channel) {
        onLoop(subscriber.loop(), () -> {
            LocalChannel lc = channels.get(channel);
            if (lc == null) return;
            LoopGroup group = null;
            for (LoopGroup g : lc.groups) {
                if (g.loop == subscriber.loop()) group = g;
            }
            Subscription s = group == null ? null : group.remove(subscriber);
            if (s != null) {
                leavePresence(s);
                release(lc);
            }
        });
    }

    private void leavePresence(Subscription s) {
        if (!s.present) return;
        s.present = false;
        quietly(presence.remove(s.channel.name, s.subscriber.sessionId()), s.channel.name);
    }

    private static void quietly(CompletionStage<?> stage, String channel) {
        stage.whenComplete((ok, e) -> {
            if (e != null) log.warn("presence change of {} failed: {}", channel, cause(e).toString());
        });
    }

    /** Number of this node's subscriptions to {@code channel}. */
    public int subscribers(String channel) {
        LocalChannel lc = channels.get(channel);
        return lc == null ? 0 : lc.subscribers();
    }

    /** Channels with at least one subscriber on this node, by name, with their subscriber counts. */
    public Map<String, Integer> channels(String prefix) {
        Map<String, Integer> out = new TreeMap<>();
        for (LocalChannel lc : channels.values()) {
            if (prefix != null && !lc.name.startsWith(prefix)) continue;
            int n = lc.subscribers();
            if (n > 0) out.put(lc.name, n);
        }
        return out;
    }

    // ---- fan-out ----

    @Override
    public void onMessage(Message message) {
        LocalChannel lc = channels.get(message.channel());
        if (lc == null) return;
        for (LoopGroup g : lc.groups) {
            g.fanOut.post(g, message);
        }
    }

    // ---- presence ----

    @Override
    public void onJoin(String channel, Member member) {
        presenceChanged(channel, true, member, true);
    }

    @Override
    public void onLeave(String channel, Member member) {
        presenceChanged(channel, false, member, true);
    }

    /** Another node's change: it sends the member event, this node only tells its subscribers. */
    @Override
    public void onRemoteJoin(String channel, Member member) {
        presenceChanged(channel, true, member, false);
    }

    @Override
    public void onRemoteLeave(String channel, Member member) {
        presenceChanged(channel, false, member, false);
    }

    private void presenceChanged(String channel, boolean joined, Member member, boolean emit) {
        if (emit) {
            events.emit(new ServerEvent(joined ? ServerEvent.Type.MEMBER_ADDED : ServerEvent.Type.MEMBER_REMOVED,
                    clock.millis(), channel, member.user(), null, member.info()));
        }
        LocalChannel lc = channels.get(channel);
        if (lc == null) return;
        for (LoopGroup g : lc.groups) {
            g.loop.execute(() -> g.presence(channel, joined, member));
        }
    }

    /** Stops presence (the Broker is closed by whoever owns it). */
    public void close() {
        presence.close();
    }

    // ---- membership ----

    private LocalChannel acquire(String channel) {
        while (true) {
            LocalChannel lc = channels.computeIfAbsent(channel, LocalChannel::new);
            synchronized (lc) {
                if (lc.closed) continue;
                lc.members++;
                if (lc.brokerSubscribed == null) {
                    events.emit(new ServerEvent(ServerEvent.Type.CHANNEL_OCCUPIED, clock.millis(), channel, null, null, null));
                    lc.brokerSubscribed = broker.subscribe(channel).toCompletableFuture();
                }
                return lc;
            }
        }
    }

    private void release(LocalChannel lc) {
        boolean last;
        synchronized (lc) {
            last = --lc.members == 0;
            if (last) {
            events.emit(new ServerEvent(ServerEvent.Type.CHANNEL_VACATED, clock.millis(), lc.name, null, null, null));
                lc.closed = true;
                channels.remove(lc.name, lc);
            }
        }
        if (last) {
            broker.unsubscribe(lc.name).whenComplete((ok, e) -> {
                if (e != null) log.warn("broker unsubscribe of {} failed: {}", lc.name, cause(e).toString());
            });
        }
    }

    private void drop(Subscription s) {
        for (LoopGroup g : s.channel.groups) {
            if (g.loop == s.subscriber.loop() && g.remove(s) == s) {
                leavePresence(s);
                release(s.channel);
                return;
            }
        }
    }

    private LoopFanOut fanOut(DeliveryLoop loop) {
        return fanOuts.computeIfAbsent(loop, l -> new LoopFanOut(l, config.recoveryBuffer()));
    }

    private static void onLoop(DeliveryLoop loop, Runnable task) {
        if (loop.inLoop()) task.run();
        else loop.execute(task);
    }

    private static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static <T> CompletionStage<T> unavailable(Throwable t) {
        Throwable c = cause(t);
        if (c instanceof SwitchboardException) return CompletableFuture.failedFuture(c);
        log.warn("broker call failed: {}", c.toString());
        return CompletableFuture.failedFuture(SwitchboardException.unavailable("the broker is not reachable; try again"));
    }
}
