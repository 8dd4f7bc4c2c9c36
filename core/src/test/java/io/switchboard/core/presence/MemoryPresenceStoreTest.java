package io.switchboard.core.presence;

import java.time.Duration;

/** The PresenceStore contract on {@link MemoryPresenceStore}. */
class MemoryPresenceStoreTest extends PresenceStoreContract {
    @Override
    protected PresenceStore newStore(Duration grace) {
        return new MemoryPresenceStore(grace);
    }
}
