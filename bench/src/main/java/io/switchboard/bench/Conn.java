package io.switchboard.bench;

/**
 * One subscriber connection's state: its channel, door, sequence checker and marker scanner. Touched
 * only on the connection's event loop, and read by the scenario once the loops are quiet.
 */
final class Conn implements MarkerScanner.Sink {
    final int index;
    final int channel;
    final Door door;
    final String channelName;
    final SequenceChecker checker;
    final MarkerScanner scanner = new MarkerScanner(this);
    private final Stats stats;
    long connectStart;
    boolean connected;
    volatile boolean ready;
    /** Set before the generator closes the connection itself, so the close is not an error. */
    volatile boolean closing;
    /** The server closed this connection during the run (a slow-consumer cut, a heartbeat timeout, …). */
    volatile boolean closedByServer;
    /** Long-poll state carried from one answer to the next request (cursor, session, Etag…). */
    String pollA;
    String pollB;

    Conn(int index, int channel, String channelName, Door door, int publishers, Stats stats) {
        this.index = index;
        this.channel = channel;
        this.channelName = channelName;
        this.door = door;
        this.checker = new SequenceChecker(publishers);
        this.stats = stats;
    }

    /** Called once the connection has settled (subscribed, failed or closed); frees its connect slot. */
    Runnable onSettled;

    void connected() {
        if (connected) return;
        connected = true;
        stats.connected(connectStart, System.nanoTime());
        settled();
    }

    void settled() {
        Runnable r = onSettled;
        onSettled = null;
        if (r != null) r.run();
    }

    @Override
    public void marker(long publisher, long seq, long intendedNanos, long sentNanos) {
        long now = System.nanoTime();
        if (publisher < 0) { // warm-up: proves the subscription is live
            if (!ready) {
                ready = true;
                stats.ready.incrementAndGet();
            }
            return;
        }
        if (checker.accept((int) publisher, seq)) stats.delivered(intendedNanos, sentNanos, now);
        else stats.duplicates.increment();
    }
}
