package io.switchboard.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.switchboard.core.auth.Identity;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.hub.DeliveryLoop;
import io.switchboard.core.hub.Hub;
import io.switchboard.core.hub.SubscribeCallback;
import io.switchboard.core.hub.SubscribeRequest;
import io.switchboard.core.hub.Subscribed;
import io.switchboard.core.hub.Subscriber;
import io.switchboard.core.message.ChannelSlots;
import io.switchboard.core.message.Cursor;
import io.switchboard.core.message.ItemJson;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import io.switchboard.core.presence.Member;
import io.switchboard.server.auth.UserSessions;
import io.switchboard.server.codec.ItemFormat;
import io.switchboard.server.codec.Items;
import io.switchboard.server.loop.LoopDelivery;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One client of the HTTP doors (DESIGN.md "Session"): it outlives its requests — a long-polling client
 * is one session over many polls — and is attached to at most one request at a time.
 *
 * <p>While no request is attached the session stays subscribed and queues what arrives, up to a byte
 * bound; past it the queue is dropped and the subscriptions let go, since the next request's cursor says
 * exactly where to resume from history. A session with no request attached for the idle timeout ends.
 *
 * <p>The cursor decides, not the session: a request whose channels and cursor are exactly what the
 * session last handed out continues from the queue; any other (an answer lost on the way, a new channel
 * list, a session that overflowed) resubscribes from the request's cursor, and the Hub replays what it
 * missed or reports a gap. So an answer lost in transit costs a history read, never a message, and
 * any node can serve any poll.
 *
 * <p>Confined to its home loop (the loop of the connection that started it): every method except
 * {@link #id()} and {@link #home()} must be called there.
 */
public final class HttpSession implements Subscriber {
    private final String id;
    private final Sessions sessions;
    private final Hub hub;
    private final LoopDelivery home;
    private final Runnable pumpTask = this::pump;

    /** Who the client is, as its latest request's token says. */
    private Identity identity = Identity.ANONYMOUS;
    private ChannelSlots slots = new ChannelSlots(List.of());
    /** Where the client is: the positions of everything handed to its requests so far. */
    private Cursor delivered = Cursor.fromNow(0);
    /** The Hub subscriptions for {@link #slots} are in place and the replay has been queued. */
    private boolean subscribed;
    /** Which subscribe a Hub callback belongs to: older ones are ignored. */
    private int generation;
    /** {@link Message}s and {@link Gap}s not yet handed out, in arrival order. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private long queuedBytes;
    private Attachment attached;
    /** When the session ends if still detached ({@link System#nanoTime}); 0 while a request is attached. */
    private long idleDeadline;
    /** When the attached request's hold ends ({@link #holdUntil}); 0 for none. */
    private long holdDeadline;
    /** This session is on its loop's {@link SessionSweep}, which checks the two deadlines. */
    private boolean swept;
    private boolean pumpScheduled;
    private boolean ended;
    /** {@code session_connected} was told; {@code session_disconnected} will be. */
    private boolean announced;
    /** How {@code POST /api/disconnect} ends this session: its request is refused with 410, then it ends. */
    private final UserSessions.Disconnectable disconnect = () -> home().execute(this::disconnected);

    HttpSession(String id, Sessions sessions, Hub hub, LoopDelivery home) {
        this.id = id;
        this.sessions = sessions;
        this.hub = hub;
        this.home = home;
    }

    /** The id clients send back as {@code session=}; random and unguessable. Any thread. */
    public String id() {
        return id;
    }

    /** The loop this session lives on. Any thread. */
    public LoopDelivery home() {
        return home;
    }

    @Override
    public DeliveryLoop loop() {
        return home;
    }

    @Override
    public String sessionId() {
        return id;
    }

    @Override
    public void onPresence(String channel, boolean joined, Member member) {
        enqueue(new PresenceChange(channel, joined, member), PresenceChange.bytes(member));
    }

    // ---- requests ----

    /**
     * Attaches {@code request} of {@code who} for {@code channels} from {@code cursor}. Returns false, doing
     * nothing, when the session has ended or belongs to another user (the caller starts a fresh one: a
     * session id alone never lends one user's session to another); answers a second concurrent request
     * with a {@code 409} through {@link Attachment#failed}.
     */
    boolean attach(Attachment request, Identity who, List<String> channels, Cursor cursor) {
        if (ended || !java.util.Objects.equals(who.user(), identity.user()) && !isNew()) return false;
        if (attached != null) {
            request.failed(this, new SwitchboardException(409, "session_busy",
                    "session " + id + " already has a request attached; one at a time"));
            return true;
        }
        idleDeadline = 0;
        holdDeadline = 0;
        // A session a POST /send started is announced without a user; its first attach names one, which
        // POST /api/disconnect must then find.
        if (announced && identity.user() == null && who.user() != null) sessions.users().add(who.user(), disconnect);
        if (identity != who) identity = who; // a refreshed token of the same user replaces the old one
        announce();
        attached = request;
        request.attached(this);
        if (attached != request) return true; // the connection was already gone
        if (subscribed && slots.channels().equals(channels) && delivered.equals(cursor)) {
            // Continuing with nothing queued (a long-poller back for more): the request is pumped now rather
            // than in a task of its own, so it parks at once. With items queued it is pumped after the
            // deliveries already on their way to this loop, so that it answers with them too.
            if (queue.isEmpty()) pumpNow();
            else schedulePump();
        } else {
            resubscribe(channels, cursor);
        }
        return true;
    }

    /** Who the client is. */
    @Override
    public Identity identity() {
        return identity;
    }

    /** True until the first request attached: such a session takes whoever comes. */
    private boolean isNew() {
        return slots.size() == 0 && !subscribed && identity.anonymous();
    }

    /** The request is done (answered, or its stream ended): the session lives on, idle, and keeps queueing. */
    public void detach(Attachment request) {
        if (attached != request) return;
        attached = null;
        holdDeadline = 0;
        if (!ended) startIdle();
    }

    /**
     * The attached request holds until {@code deadline} ({@link System#nanoTime}); once it has passed (up to
     * a sweep period late) the session calls its {@link Attachment#expired}, unless it was done before.
     */
    public void holdUntil(long deadline) {
        holdDeadline = deadline == 0 ? 1 : deadline;
        sweep();
    }

    /** The client went away in the middle of {@code request}: nobody is coming back, so the session ends. */
    public void closed(Attachment request) {
        if (attached != request) return;
        attached = null;
        end();
    }

    /** Activity without a request (a {@code POST /send}): the idle timeout starts again. */
    void touch() {
        if (!ended && attached == null) startIdle();
    }

    // ---- what attachments take ----

    public boolean hasItems() {
        return !queue.isEmpty();
    }

    /** The bytes queued, counted as item JSON (a size hint for an answer's buffer). */
    public long queuedBytes() {
        return queuedBytes;
    }

    /**
     * The next queued item in {@code format}, as a buffer the caller owns (it must write or release it),
     * or null when none is waiting. Moves the client's cursor past it.
     */
    public ByteBuf take(ItemFormat format) {
        Object item = queue.pollFirst();
        if (item == null) return null;
        if (item instanceof Message m) {
            queuedBytes -= m.encoded(ItemJson.FORMAT).length;
            delivered.set(slots.of(m.channel()), m.position());
            sessions.delivered();
            return home.shared(m, format.messages());
        }
        if (item instanceof PresenceChange p) {
            queuedBytes -= PresenceChange.bytes(p.member());
            return Unpooled.wrappedBuffer(format.control(Items.presence(p.joined(), p.channel(), p.member())));
        }
        Gap g = (Gap) item;
        queuedBytes -= Gap.BYTES;
        delivered.set(slots.of(g.channel()), g.position());
        return Unpooled.wrappedBuffer(format.control(Items.gap(g.channel(), g.position())));
    }

    /**
     * Pumps the attached request again once the deliveries already queued for this loop have run: a
     * request that answers at once even when empty waits for them, so that it includes a message whose
     * publish was acknowledged before the request came.
     */
    public void pumpLater() {
        schedulePump();
    }

    /** The cursor a request should send next: everything taken so far. */
    public String cursor() {
        return delivered.toString();
    }

    /** Writes {@link #cursor()} to {@code out} as ASCII, without making the string (once per poll answer). */
    public void writeCursor(ByteBuf out) {
        for (int i = 0; i < delivered.size(); i++) {
            if (i > 0) out.writeByte(',');
            Position p = delivered.get(i);
            if (p == null) {
                out.writeByte('-');
            } else {
                ByteBufUtil.writeAscii(out, p.epoch());
                out.writeByte(':');
                writeDigits(out, p.offset());
            }
        }
    }

    private static void writeDigits(ByteBuf out, long n) {
        if (n < 10) {
            out.writeByte('0' + (int) n);
            return;
        }
        writeDigits(out, n / 10);
        out.writeByte('0' + (int) (n % 10));
    }

    // ---- from the Hub ----

    @Override
    public void onMessage(Message message) {
        enqueue(message, message.encoded(ItemJson.FORMAT).length);
    }

    @Override
    public void onGap(String channel, Position position) {
        enqueue(new Gap(channel, position), Gap.BYTES);
    }

    private void enqueue(Object item, int bytes) {
        if (ended) return;
        if (attached == null && queuedBytes + bytes > sessions.config().queueBytes()) {
            overflow();
            return;
        }
        queue.addLast(item);
        queuedBytes += bytes;
        if (attached != null) schedulePump();
    }

    /**
     * Nobody has read for a while and the queue is full: stop holding. The client's cursor still says
     * where it is, so its next request resubscribes from there and the history fills in (or a gap says
     * what could not be).
     */
    private void overflow() {
        unsubscribeAll();
        sessions.overflowed();
    }

    private void resubscribe(List<String> channels, Cursor cursor) {
        unsubscribeAll();
        slots = new ChannelSlots(channels);
        delivered = cursor.copy();
        int mine = generation;
        List<SubscribeRequest> requests = new ArrayList<>(channels.size());
        for (int i = 0; i < channels.size(); i++) requests.add(new SubscribeRequest(channels.get(i), cursor.get(i)));
        hub.subscribe(this, requests, new SubscribeCallback() {
            @Override
            public void onSubscribed(List<Subscribed> results) {
                if (mine != generation || ended) return;
                for (int i = 0; i < results.size(); i++) delivered.set(i, results.get(i).position());
                subscribed = true;
                // The replay is delivered right after this returns: pump once it is all queued.
                schedulePump();
            }

            @Override
            public void onFailed(SwitchboardException error) {
                if (mine != generation || ended) return;
                Attachment request = attached;
                attached = null;
                // Nothing is subscribed and the client keeps its cursor: keep nothing either, or every
                // retry during a broker outage would leave a session behind for the idle timeout.
                end();
                if (request != null) request.failed(HttpSession.this, error);
            }
        });
    }

    private void unsubscribeAll() {
        generation++; // callbacks of a subscribe still in flight no longer count
        for (String channel : slots.channels()) hub.unsubscribe(this, channel);
        subscribed = false;
        queue.clear();
        queuedBytes = 0;
    }

    private void schedulePump() {
        if (pumpScheduled) return;
        pumpScheduled = true;
        home.afterBatch(pumpTask);
    }

    private void pump() {
        pumpScheduled = false;
        pumpNow();
    }

    private void pumpNow() {
        if (!ended && subscribed && attached != null) attached.pump(this);
    }

    // ---- life ----

    private void startIdle() {
        idleDeadline = System.nanoTime() + sessions.config().idleTimeout().toNanos();
        if (idleDeadline == 0) idleDeadline = 1;
        sweep();
    }

    private void sweep() {
        if (swept) return;
        swept = true;
        sessions.sweep(home).add(this);
    }

    /**
     * For the {@link SessionSweep}, on the home loop: ends an idle session past its deadline, tells an
     * attached request its hold is over. Returns false once the session has ended (the sweep forgets it).
     */
    boolean tick(long now) {
        if (ended) return false;
        if (attached == null) {
            if (idleDeadline != 0 && now - idleDeadline >= 0) end();
        } else if (holdDeadline != 0 && now - holdDeadline >= 0) {
            holdDeadline = 0;
            attached.expired(this);
        }
        return !ended;
    }

    /** A request without attaching ({@code /send}): a new session takes its identity, for webhooks and disconnect. */
    void adopt(Identity who) {
        if (isNew() && !announced) identity = who;
    }

    /** Tells the event sink the session came, once. */
    void announce() {
        if (announced) return;
        announced = true;
        sessions.events().sessionEvent(true, id, identity);
        sessions.users().add(identity.user(), disconnect);
    }

    /** Ends the session: lets go of every channel and forgets it. Idempotent. */
    void end() {
        if (ended) return;
        ended = true;
        idleDeadline = 0;
        holdDeadline = 0;
        unsubscribeAll();
        attached = null;
        sessions.remove(this);
        // Told after its channels are let go, as the other doors do: a backend hears of the session's
        // member_removed and channel_vacated before the session_disconnected that ends it.
        if (announced) {
            sessions.events().sessionEvent(false, id, identity);
            sessions.users().remove(identity.user(), disconnect);
        }
    }

    private void disconnected() {
        Attachment request = attached;
        attached = null;
        end();
        if (request != null) request.failed(this, new SwitchboardException(410, "disconnected",
                "disconnected by the server; do not reconnect"));
    }

    boolean ended() {
        return ended;
    }

    @Override
    public String toString() {
        return "HttpSession[" + id + "]";
    }
}
