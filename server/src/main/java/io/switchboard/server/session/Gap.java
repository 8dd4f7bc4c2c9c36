package io.switchboard.server.session;

import io.switchboard.core.message.Position;

/** A queued {@code gap} item: delivery of {@code channel} continues after {@code position}. */
record Gap(String channel, Position position) {
    /** What a gap counts for against the queue bound: its JSON is about this long. */
    static final int BYTES = 80;
}
