package io.switchboard.core.hub;

import io.switchboard.core.error.SwitchboardException;
import java.util.List;

/** Told on the subscriber's loop how a {@link Hub#subscribe} ended, before any replayed message arrives. */
public interface SubscribeCallback {
    /** All channels are subscribed; results in request order. Replay and live delivery follow. */
    void onSubscribed(List<Subscribed> results);

    /** Nothing was subscribed. */
    void onFailed(SwitchboardException error);
}
