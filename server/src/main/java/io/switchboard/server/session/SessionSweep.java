package io.switchboard.server.session;

import java.util.ArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clock of the sessions living on one event loop: a few times a second it lets each of them check its
 * deadlines (idle expiry, the hold of a parked poll). One repeating task per loop instead of a scheduled
 * task per poll and per idle spell, which cost a timer allocation and two priority-queue updates on every
 * poll. A deadline is therefore met up to one period late, never early.
 *
 * <p>Confined to its loop.
 */
final class SessionSweep implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(SessionSweep.class);

    private final ArrayList<HttpSession> sessions = new ArrayList<>();

    /** Starts visiting {@code s} (on this loop); it stays until it has ended. */
    void add(HttpSession s) {
        sessions.add(s);
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        int kept = 0;
        // Index loop over a growing list: a deadline's answer may register another session.
        for (int i = 0; i < sessions.size(); i++) {
            HttpSession s = sessions.get(i);
            boolean live;
            try {
                live = s.tick(now);
            } catch (RuntimeException e) {
                // One session's failure must not stop the sweep (a repeating task that throws never runs again).
                log.warn("session {} failed its deadline check", s.id(), e);
                live = true;
            }
            if (live) sessions.set(kept++, s);
        }
        for (int i = sessions.size() - 1; i >= kept; i--) sessions.remove(i);
    }
}
