package io.switchboard.server.auth;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's live sessions by user, so that the server API can end every session of one user
 * ({@code POST /api/disconnect}). Sessions without a user are not kept. Any thread.
 */
public final class UserSessions {
    /** A session that can be told to end because its user was disconnected; it hops to its own loop. */
    @FunctionalInterface
    public interface Disconnectable {
        void disconnect();
    }

    private final ConcurrentHashMap<String, Set<Disconnectable>> byUser = new ConcurrentHashMap<>();

    public void add(String user, Disconnectable session) {
        if (user == null) return;
        byUser.computeIfAbsent(user, u -> ConcurrentHashMap.newKeySet()).add(session);
    }

    public void remove(String user, Disconnectable session) {
        if (user == null) return;
        byUser.computeIfPresent(user, (u, set) -> {
            set.remove(session);
            return set.isEmpty() ? null : set;
        });
    }

    /** Tells every session of {@code user} to end; returns how many there were. */
    public int disconnect(String user) {
        Set<Disconnectable> sessions = byUser.remove(user);
        if (sessions == null) return 0;
        for (Disconnectable s : sessions) s.disconnect();
        return sessions.size();
    }
}
