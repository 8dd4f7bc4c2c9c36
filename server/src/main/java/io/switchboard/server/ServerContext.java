package io.switchboard.server;

import io.switchboard.core.auth.Access;
import io.switchboard.core.auth.Identity;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.event.EventSink;
import io.switchboard.core.event.ServerEvent;
import io.switchboard.core.hub.Hub;
import io.switchboard.core.time.Clock;
import io.switchboard.server.auth.Authenticator;
import io.switchboard.server.auth.UserSessions;
import io.switchboard.server.http.Cors;
import io.switchboard.server.http.OriginPolicy;
import io.switchboard.server.limit.Heartbeats;
import io.switchboard.server.loop.Loops;
import io.switchboard.server.metrics.Metrics;
import io.switchboard.server.session.Sessions;

/**
 * What every door shares: the config, the Hub, the delivery loops, metrics, origin rules and the clock.
 * Made once by {@link SwitchboardServer}; doors take it in their constructor.
 */
public final class ServerContext {
    private final ServerConfig config;
    private final Hub hub;
    private final Loops loops;
    private final Metrics metrics;
    private final OriginPolicy origins;
    private final Cors cors;
    private final Clock clock;
    private final Connections connections;
    private final Sessions sessions;
    private final Authenticator auth;
    private final EventSink events;
    private final UserSessions users = new UserSessions();
    private final Heartbeats heartbeats;

    ServerContext(ServerConfig config, Hub hub, Loops loops, Metrics metrics, Clock clock, Connections connections,
                  TokenVerifier verifier, EventSink events) {
        this.config = config;
        this.hub = hub;
        this.loops = loops;
        this.metrics = metrics;
        this.origins = new OriginPolicy(config.allowedOrigins());
        this.cors = new Cors(origins);
        this.clock = clock;
        this.connections = connections;
        this.auth = new Authenticator(verifier);
        this.events = events;
        this.heartbeats = new Heartbeats(config.heartbeat());
        this.sessions = new Sessions(hub, config.sessions(), metrics, this::sessionEvent, users);
    }

    public ServerConfig config() {
        return config;
    }

    public Hub hub() {
        return hub;
    }

    public Loops loops() {
        return loops;
    }

    public Metrics metrics() {
        return metrics;
    }

    public OriginPolicy origins() {
        return origins;
    }

    public Cors cors() {
        return cors;
    }

    public Clock clock() {
        return clock;
    }

    /** Open connections, for graceful shutdown. */
    public Connections connections() {
        return connections;
    }

    /** Who a request or token is. */
    public Authenticator auth() {
        return auth;
    }

    /**
     * Milliseconds until {@code identity}'s token is no longer accepted (its {@code exp} plus the allowed
     * clock skew), or -1 when it never expires. Streams end with a 401 then; WebSockets close with 4401.
     */
    public long tokenMillisLeft(Identity identity) {
        if (identity.expiresAt() == 0) return -1;
        return Math.max(0, identity.expiresAt() + config.tokens().skew().toMillis() - clock.millis());
    }

    /** This node's live sessions by user, for {@code POST /api/disconnect}. */
    public UserSessions users() {
        return users;
    }

    /** The heartbeat sweeps of WebSocket sessions and SSE streams, one per event loop. */
    public Heartbeats heartbeats() {
        return heartbeats;
    }

    /** Where this node's events go (webhooks). */
    public EventSink events() {
        return events;
    }

    /** Tells the event sink a session came ({@code connected}) or went. */
    public void sessionEvent(boolean connected, String session, Identity identity) {
        events.emit(new ServerEvent(connected ? ServerEvent.Type.SESSION_CONNECTED : ServerEvent.Type.SESSION_DISCONNECTED,
                clock.millis(), null, identity.user(), session, null));
    }

    /** Who may read and publish what. */
    public Access access() {
        return hub.access();
    }

    /** The HTTP doors' sessions. */
    public Sessions sessions() {
        return sessions;
    }

    /** A new session id: random, so that knowing one id tells nothing about another. */
    public String newSessionId() {
        return sessions.newId();
    }
}
