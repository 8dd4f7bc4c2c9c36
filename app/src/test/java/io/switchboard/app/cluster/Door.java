package io.switchboard.app.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.testkit.PollClient;
import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.StreamRecorder;
import io.switchboard.testkit.WsRecorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One subscriber of one channel on one node, by door: what arrived, as the items the door carries
 * (messages, gaps), whatever its framing. For tests that check every door the same way.
 */
abstract class Door implements AutoCloseable {
    private final String name;

    Door(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** Every item so far: {@code message} and {@code gap} items, in arrival order. */
    abstract List<JsonNode> items();

    /** Waits until {@code n} messages arrived (or {@code timeout} passed) and returns the messages. */
    abstract List<JsonNode> awaitMessages(int n, Duration timeout);

    static boolean messageOrGap(JsonNode item) {
        String type = item.path("type").textValue();
        return "message".equals(type) || "gap".equals(type);
    }

    List<JsonNode> messages() {
        return items().stream().filter(i -> "message".equals(i.path("type").textValue())).toList();
    }

    @Override
    public abstract void close();

    /** Subscribers on six doors of {@code node} (all but JSONP, which is polling in a script), subscribed. */
    static List<Door> everyDoor(NodeProcess node, String channel) {
        List<Door> doors = new ArrayList<>();
        String tag = node.name() + " ";
        WsRecorder ws = WsRecorder.connect(node.ws("/ws"));
        ws.send("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\"}").awaitType("subscribed");
        doors.add(new Ws(tag + "ws", ws));
        doors.add(new Sse(tag + "sse", SseRecorder.open(node.http("/sse?channel=" + channel))));
        StreamRecorder stream = StreamRecorder.ndjson(node.port(), "/stream?channel=" + channel);
        stream.awaitItem("open");
        doors.add(new Stream(tag + "stream", stream));
        StreamRecorder iframe = StreamRecorder.iframe(node.port(), "/iframe?channel=" + channel + "&callback=sb.on", "sb.on");
        iframe.awaitItem("open");
        doors.add(new Stream(tag + "iframe", iframe));
        PollClient poll = PollClient.poll(node.baseUrl(), channel);
        poll.poll(0);
        doors.add(new Poll(tag + "poll", poll, false));
        PollClient longPoll = PollClient.poll(node.baseUrl(), channel);
        longPoll.poll(0);
        longPoll.start(25);
        doors.add(new Poll(tag + "long-poll", longPoll, true));
        return doors;
    }

    static final class Ws extends Door {
        private final WsRecorder ws;
        private final List<JsonNode> items = new ArrayList<>();

        Ws(String name, WsRecorder ws) {
            super(name);
            this.ws = ws;
        }

        @Override
        List<JsonNode> items() {
            return items;
        }

        @Override
        List<JsonNode> awaitMessages(int n, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (messages().size() < n && System.nanoTime() < deadline) {
                JsonNode item = ws.awaitItem(i -> {
                    String t = i.path("type").textValue();
                    return "message".equals(t) || "gap".equals(t);
                });
                items.add(item);
            }
            return messages();
        }

        @Override
        public void close() {
            ws.close();
        }
    }

    static final class Sse extends Door {
        private final SseRecorder sse;

        Sse(String name, SseRecorder sse) {
            super(name);
            this.sse = sse;
        }

        @Override
        List<JsonNode> items() {
            List<JsonNode> out = new ArrayList<>();
            for (SseRecorder.Event e : sse.events()) {
                if (e.event().equals("message")) out.add(e.json());
                if (e.event().equals("sb:gap")) out.add(((com.fasterxml.jackson.databind.node.ObjectNode) e.json()).put("type", "gap"));
            }
            return out;
        }

        @Override
        List<JsonNode> awaitMessages(int n, Duration timeout) {
            sse.awaitEvents(e -> e.event().equals("message"), n, timeout);
            return messages();
        }

        @Override
        public void close() {
            sse.close();
        }
    }

    static final class Stream extends Door {
        private final StreamRecorder stream;

        Stream(String name, StreamRecorder stream) {
            super(name);
            this.stream = stream;
        }

        @Override
        List<JsonNode> items() {
            return stream.items().stream().filter(Door::messageOrGap).toList();
        }

        @Override
        List<JsonNode> awaitMessages(int n, Duration timeout) {
            stream.awaitItems(i -> "message".equals(i.path("type").textValue()), n, timeout);
            return messages();
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    static final class Poll extends Door {
        private final PollClient poll;
        private final boolean looping;

        Poll(String name, PollClient poll, boolean looping) {
            super(name);
            this.poll = poll;
            this.looping = looping;
        }

        @Override
        List<JsonNode> items() {
            return poll.items().stream().filter(Door::messageOrGap).toList();
        }

        @Override
        List<JsonNode> awaitMessages(int n, Duration timeout) {
            if (looping) return poll.awaitMessages(n, timeout);
            // Plain polling: ask again until everything is in (each answer carries what is waiting).
            long deadline = System.nanoTime() + timeout.toNanos();
            while (poll.messages().size() < n && System.nanoTime() < deadline) poll.poll(0);
            return messages();
        }

        @Override
        public void close() {
            poll.close();
        }
    }
}
