package io.switchboard.core.broker;

import io.switchboard.core.message.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link BrokerListener} that records, per channel and in arrival order, what the Broker delivered. */
public final class RecordingListener implements BrokerListener {
    private final Map<String, List<Message>> byChannel = new ConcurrentHashMap<>();

    @Override
    public void onMessage(Message message) {
        List<Message> list = byChannel.computeIfAbsent(message.channel(), c -> new ArrayList<>());
        synchronized (list) {
            list.add(message);
        }
    }

    /** A snapshot of the offsets delivered for {@code channel}, in arrival order. */
    public List<Long> offsets(String channel) {
        List<Message> list = byChannel.get(channel);
        if (list == null) return List.of();
        synchronized (list) {
            return list.stream().map(Message::offset).toList();
        }
    }
}
