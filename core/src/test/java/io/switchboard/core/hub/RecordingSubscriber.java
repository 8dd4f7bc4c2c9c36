package io.switchboard.core.hub;

import static org.awaitility.Awaitility.await;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.message.Message;
import io.switchboard.core.message.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link Subscriber} and {@link SubscribeCallback} that records everything the Hub tells it, in
 * order, and notes any call made off its loop.
 */
final class RecordingSubscriber implements Subscriber, SubscribeCallback {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** One thing the Hub told the subscriber. */
    sealed interface Event permits Got, Gap, Ok, Failed {}

    record Got(Message message) implements Event {}

    record Gap(String channel, Position position) implements Event {}

    record Ok(List<Subscribed> results) implements Event {}

    record Failed(SwitchboardException error) implements Event {}

    private final String name;
    private final DeliveryLoop loop;
    private final List<Event> events = new ArrayList<>();
    private volatile String offLoop;
    /** Runs on the loop after each recorded message; lets a test act from inside a delivery. */
    volatile Consumer<Message> onEachMessage = m -> {};

    RecordingSubscriber(String name, DeliveryLoop loop) {
        this.name = name;
        this.loop = loop;
    }

    @Override
    public DeliveryLoop loop() {
        return loop;
    }

    @Override
    public void onMessage(Message message) {
        record(new Got(message));
        onEachMessage.accept(message);
    }

    /** Sizes of the runs the Hub offered in one call ({@link #onMessages}), in order; each is declined. */
    final List<Integer> runs = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public boolean onMessages(Message[] run, int n) {
        runs.add(n);
        return false; // recorded one by one through onMessage, as the Hub then hands them over
    }

    @Override
    public void onGap(String channel, Position position) {
        record(new Gap(channel, position));
    }

    @Override
    public void onSubscribed(List<Subscribed> results) {
        record(new Ok(List.copyOf(results)));
    }

    @Override
    public void onFailed(SwitchboardException error) {
        record(new Failed(error));
    }

    private void record(Event e) {
        if (!loop.inLoop()) offLoop = Thread.currentThread().getName() + " delivered " + e;
        synchronized (events) {
            events.add(e);
        }
    }

    /** A snapshot of everything recorded, in order. */
    List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    /** What was recorded about {@code channel}: its messages and gaps, in order. */
    List<Event> events(String channel) {
        return events().stream().filter(e -> e instanceof Got got ? got.message().channel().equals(channel)
                : e instanceof Gap gap && gap.channel().equals(channel)).toList();
    }

    List<Long> offsets(String channel) {
        return events(channel).stream().filter(e -> e instanceof Got).map(e -> ((Got) e).message().offset()).toList();
    }

    List<Gap> gaps() {
        return events().stream().filter(e -> e instanceof Gap).map(e -> (Gap) e).toList();
    }

    /** Waits for the first subscribe outcome and returns the results; fails if it was refused. */
    List<Subscribed> awaitSubscribed() {
        return awaitSubscribed(0);
    }

    /** Waits for the {@code nth} (from 0) subscribe outcome and returns the results; fails if it was refused. */
    List<Subscribed> awaitSubscribed(int nth) {
        Event e = awaitOutcome(nth);
        if (e instanceof Failed f) throw new AssertionError(name + " was refused: " + f.error().code(), f.error());
        return ((Ok) e).results();
    }

    /** Waits for the {@code nth} (from 0) subscribe outcome and returns the error; fails if it succeeded. */
    SwitchboardException awaitFailed(int nth) {
        Event e = awaitOutcome(nth);
        if (e instanceof Ok ok) throw new AssertionError(name + " subscribed: " + ok.results());
        return ((Failed) e).error();
    }

    private List<Event> outcomes() {
        return events().stream().filter(e -> e instanceof Ok || e instanceof Failed).toList();
    }

    private Event awaitOutcome(int nth) {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> outcomes().size() > nth);
        return outcomes().get(nth);
    }

    /** Waits until a message of {@code channel} with {@code offset} has arrived. */
    void awaitOffset(String channel, long offset) {
        await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> offsets(channel).contains(offset));
    }

    /** Null, or what was called off the subscriber's loop. */
    String offLoop() {
        return offLoop;
    }

    @Override
    public String toString() {
        return name;
    }
}
