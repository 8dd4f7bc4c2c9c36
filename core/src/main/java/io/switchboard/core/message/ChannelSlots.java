package io.switchboard.core.message;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a channel's slot in a request's channel list (and so in its {@link Cursor}): a scan for the usual
 * handful of channels, a map past {@link #SCAN_LIMIT}. Immutable.
 */
public final class ChannelSlots {
    /** Past this many channels a map finds a slot faster than a scan. */
    static final int SCAN_LIMIT = 8;

    private final List<String> channels;
    private final Map<String, Integer> index;

    public ChannelSlots(List<String> channels) {
        this.channels = List.copyOf(channels);
        if (channels.size() > SCAN_LIMIT) {
            index = new HashMap<>(channels.size() * 2);
            for (int i = 0; i < channels.size(); i++) index.put(channels.get(i), i);
        } else {
            index = null;
        }
    }

    public List<String> channels() {
        return channels;
    }

    public int size() {
        return channels.size();
    }

    /** The slot of {@code channel}; throws when it is not one of ours (the Hub only delivers ours). */
    public int of(String channel) {
        if (index != null) {
            Integer i = index.get(channel);
            if (i != null) return i;
        } else {
            for (int i = 0; i < channels.size(); i++) {
                if (channels.get(i).equals(channel)) return i;
            }
        }
        throw new IllegalStateException("not one of this request's channels: " + channel);
    }
}
