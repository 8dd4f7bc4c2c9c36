package io.switchboard.server.session;

import io.micrometer.core.instrument.Counter;
import io.netty.channel.EventLoop;
import io.switchboard.core.auth.Identity;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.Hub;
import io.switchboard.core.message.Cursor;
import io.switchboard.server.HttpSessionConfig;
import io.switchboard.server.auth.UserSessions;
import io.switchboard.server.loop.LoopDelivery;
import io.switchboard.server.metrics.Metrics;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * This node's {@link HttpSession}s by id. Finding a session works from any loop; everything done to one
 * happens on its own loop.
 */
public final class Sessions {
    private static final Base64.Encoder ID_ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final int ID_BYTES = 16;
    /** Longest {@code session=} taken: ids are 22 characters; anything much longer is not ours. */
    private static final int MAX_ID_LENGTH = 64;

    private final ConcurrentHashMap<String, HttpSession> byId = new ConcurrentHashMap<>();
    /** One {@link SessionSweep} per event loop that has sessions, started with the first of them. */
    private final ConcurrentHashMap<EventLoop, SessionSweep> sweeps = new ConcurrentHashMap<>();
    /** How often each loop's sweep runs: a quarter of the idle timeout, at most 250 ms (holds are whole seconds). */
    private final long sweepNanos;
    private final SecureRandom random = new SecureRandom();
    private final Hub hub;
    private final HttpSessionConfig config;
    private final Metrics metrics;
    private final Counter overflows;
    private final SessionEvents events;
    private final UserSessions users;

    public Sessions(Hub hub, HttpSessionConfig config, Metrics metrics, SessionEvents events, UserSessions users) {
        this.events = events;
        this.users = users;
        this.hub = hub;
        this.config = config;
        this.metrics = metrics;
        this.sweepNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10),
                Math.min(TimeUnit.MILLISECONDS.toNanos(250), config.idleTimeout().toNanos() / 4));
        metrics.gauge("switchboard.sessions", "sessions of the HTTP doors (poll, long-poll, JSONP, streams)", byId::size);
        this.overflows = metrics.counter("switchboard.sessions.overflows",
                "HTTP sessions whose queue filled while no request was attached (they resume from history)");
    }

    /** A new random id: 128 bits, URL-safe. Also used for WebSocket sessions. */
    public String newId() {
        byte[] bytes = new byte[ID_BYTES];
        random.nextBytes(bytes);
        return ID_ENCODER.encodeToString(bytes);
    }

    /**
     * A new random id as its 128 bits, for a session that keeps it as two longs instead of a String (WebSocket
     * sessions, SSE streams: ~50 bytes less each); {@link #idOf} gives its text, the same form as {@link #newId}.
     */
    public long[] newIdBits() {
        return new long[] {random.nextLong(), random.nextLong()};
    }

    /** The text of the id whose bits are {@code high} and {@code low} (see {@link #newIdBits}). */
    public static String idOf(long high, long low) {
        return ID_ENCODER.encodeToString(ByteBuffer.allocate(ID_BYTES).putLong(high).putLong(low).array());
    }

    /** Checks a client's {@code session=} (null passes): URL-safe base64 characters, not too long, else a 400. */
    public static String checkId(String id) {
        if (id == null) return null;
        boolean ok = id.length() <= MAX_ID_LENGTH;
        for (int i = 0; ok && i < id.length(); i++) {
            char c = id.charAt(i);
            ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        }
        if (!ok) throw SwitchboardException.badRequest("bad_session", "session is not a session id this server issues");
        return id;
    }

    /** A new session living on {@code home}, detached until a request attaches. */
    public HttpSession create(LoopDelivery home) {
        HttpSession s = new HttpSession(newId(), this, hub, home);
        byId.put(s.id(), s);
        return s;
    }

    /** The live session {@code id}, or null. */
    public HttpSession find(String id) {
        return id == null ? null : byId.get(id);
    }

    /**
     * Attaches {@code request} of {@code identity} to session {@code id} — or to a fresh session on
     * {@code requestLoop} when the id is null, unknown, just ended or another user's — for {@code channels}
     * from {@code cursor}, on the session's loop.
     */
    public void attach(String id, LoopDelivery requestLoop, Attachment request, Identity identity, List<String> channels,
                       Cursor cursor) {
        HttpSession found = find(id);
        HttpSession session = found != null ? found : create(requestLoop);
        if (session.home().inLoop()) attachOnLoop(session, request, identity, channels, cursor); // no task to allocate
        else session.home().execute(() -> attachOnLoop(session, request, identity, channels, cursor));
    }

    private void attachOnLoop(HttpSession session, Attachment request, Identity identity, List<String> channels,
                              Cursor cursor) {
        if (!session.attach(request, identity, channels, cursor)) {
            create(session.home()).attach(request, identity, channels, cursor);
        }
    }

    /**
     * The session {@code id} for a request that does not attach ({@code POST /send}): found and touched,
     * or a fresh one on {@code requestLoop} that starts idle. Returns its id.
     */
    public String use(String id, LoopDelivery requestLoop, Identity identity) {
        HttpSession found = find(id);
        HttpSession session = found != null ? found : create(requestLoop);
        onLoop(session.home(), () -> {
            if (session.ended()) return;
            session.adopt(identity);
            session.announce();
            session.touch();
        });
        return session.id();
    }

    public int size() {
        return byId.size();
    }

    /** Ends every session (the server is stopping). */
    public void endAll() {
        for (HttpSession s : byId.values()) onLoop(s.home(), s::end);
    }

    /** The sweep of {@code loop}'s sessions, started on first use. */
    SessionSweep sweep(LoopDelivery loop) {
        return sweeps.computeIfAbsent(loop.eventLoop(), l -> {
            SessionSweep sweep = new SessionSweep();
            l.scheduleAtFixedRate(sweep, sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
            return sweep;
        });
    }

    HttpSessionConfig config() {
        return config;
    }

    void remove(HttpSession s) {
        byId.remove(s.id(), s);
    }

    UserSessions users() {
        return users;
    }

    SessionEvents events() {
        return events;
    }

    void delivered() {
        metrics.delivered(1);
    }

    void overflowed() {
        overflows.increment();
    }

    private static void onLoop(LoopDelivery loop, Runnable task) {
        if (loop.inLoop()) task.run();
        else loop.execute(task);
    }
}
