package io.switchboard.core.presence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@link PresenceStore} of one node. Each channel's members are guarded by the channel's own lock;
 * leaves wait out the grace on one daemon timer thread, and a connection of the same user that arrives
 * meanwhile cancels the leave (no leave, no second join).
 */
public final class MemoryPresenceStore implements PresenceStore {
    private final Duration grace;
    private final ConcurrentHashMap<String, ChannelMembers> channels = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "presence-grace");
        t.setDaemon(true);
        return t;
    });
    private volatile PresenceListener listener;

    public MemoryPresenceStore(Duration grace) {
        this.grace = grace;
    }

    /** One user's hold on a channel. */
    private static final class Presence {
        Member member;
        final Set<String> connections = new HashSet<>();
        ScheduledFuture<?> leaving;
    }

    /** A channel's members; every field is guarded by the instance's lock. */
    private static final class ChannelMembers {
        final Map<String, Presence> byUser = new HashMap<>();
        final Map<String, String> userOfConnection = new HashMap<>();
    }

    @Override
    public void start(PresenceListener listener) {
        this.listener = listener;
    }

    @Override
    public CompletionStage<Void> add(String channel, Member member, String connection) {
        ChannelMembers cm = channels.computeIfAbsent(channel, c -> new ChannelMembers());
        synchronized (cm) { // listeners are told under the lock, so a user's join and leave keep their order
            String previous = cm.userOfConnection.put(connection, member.user());
            if (previous != null && !previous.equals(member.user())) forget(channel, cm, connection, previous);
            Presence p = cm.byUser.get(member.user());
            if (p == null) {
                p = new Presence();
                cm.byUser.put(member.user(), p);
                listener.onJoin(channel, member);
            } else if (p.leaving != null) {
                p.leaving.cancel(false); // back within the grace: it never left
                p.leaving = null;
            }
            p.member = member; // the newest token's info wins
            p.connections.add(connection);
            if (channels.get(channel) != cm) channels.put(channel, cm); // re-adopt after a concurrent cleanup
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> remove(String channel, String connection) {
        ChannelMembers cm = channels.get(channel);
        if (cm != null) {
            synchronized (cm) {
                String user = cm.userOfConnection.remove(connection);
                if (user != null) forget(channel, cm, connection, user);
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Under {@code cm}'s lock: {@code connection} of {@code user} is gone; the last one starts the grace. */
    private void forget(String channel, ChannelMembers cm, String connection, String user) {
        Presence p = cm.byUser.get(user);
        if (p == null || !p.connections.remove(connection) || !p.connections.isEmpty()) return;
        if (grace.isZero()) {
            leave(channel, cm, user, p);
        } else {
            p.leaving = timer.schedule(() -> {
                synchronized (cm) {
                    if (p.leaving == null || !p.connections.isEmpty()) return;
                    leave(channel, cm, user, p);
                }
            }, grace.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Under {@code cm}'s lock. */
    private void leave(String channel, ChannelMembers cm, String user, Presence p) {
        cm.byUser.remove(user, p);
        p.leaving = null;
        if (cm.byUser.isEmpty() && cm.userOfConnection.isEmpty()) channels.remove(channel, cm);
        listener.onLeave(channel, p.member);
    }

    @Override
    public CompletionStage<List<Member>> members(String channel) {
        ChannelMembers cm = channels.get(channel);
        List<Member> out = new ArrayList<>();
        if (cm != null) {
            synchronized (cm) {
                for (Presence p : cm.byUser.values()) out.add(p.member);
            }
        }
        out.sort(Comparator.comparing(Member::user));
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
