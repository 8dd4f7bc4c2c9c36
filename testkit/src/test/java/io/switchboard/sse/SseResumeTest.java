package io.switchboard.sse;

import static io.switchboard.sse.InProcess.publish;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.message.Message;
import io.switchboard.testkit.SseRecorder.Event;
import io.switchboard.testkit.SseRecorder;
import io.switchboard.testkit.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Resuming an {@code /sse} stream: nothing missed, nothing doubled, and which resume point wins. */
class SseResumeTest {

    @Test
    void resumesByLastEventIdHeaderWithNoLossAndNoDuplicates() {
        try (TestServer server = TestServer.start()) {
            String lastId;
            try (SseRecorder first = SseRecorder.open(server.http("/sse?channel=news"))) {
                first.awaitLastEventId(id -> !id.isEmpty());
                List<Message> sent = publishMany(server, 1, 5);
                List<Event> got = first.awaitEvents(e -> true, 5, SseRecorder.TIMEOUT);
                assertThat(got).extracting(Event::id).containsExactlyElementsOf(ids(sent));
                lastId = first.lastEventId();
            }
            List<Message> missed = publishMany(server, 6, 5);

            try (SseRecorder again = SseRecorder.open(server.http("/sse?channel=news"),
                    b -> b.header("Last-Event-ID", lastId))) {
                Message sentinel = publish(server, "news", "{\"n\":\"live\"}");
                again.awaitEvent(e -> e.id().equals(sentinel.position().toString()));
                List<String> expected = new ArrayList<>(ids(missed));
                expected.add(sentinel.position().toString());
                assertThat(again.events()).extracting(Event::id).containsExactlyElementsOf(expected);
                assertThat(again.events().subList(0, 5)).extracting(e -> e.json().get("data").get("n").asInt())
                        .containsExactly(6, 7, 8, 9, 10);
            }
        }
    }

    @Test
    void aReconnectBeforeTheFirstMessageLosesNothing() {
        try (TestServer server = TestServer.start()) {
            String startId;
            try (SseRecorder first = SseRecorder.open(server.http("/sse?channel=news"))) {
                startId = first.awaitLastEventId(id -> !id.isEmpty());
            }
            List<Message> missed = publishMany(server, 1, 2);
            try (SseRecorder again = SseRecorder.open(server.http("/sse?channel=news"),
                    b -> b.header("Last-Event-ID", startId))) {
                assertThat(again.awaitEvents(e -> true, 2, SseRecorder.TIMEOUT)).extracting(Event::id)
                        .containsExactlyElementsOf(ids(missed));
            }
        }
    }

    @Test
    void resumesByLastEventIdQueryParameter() {
        try (TestServer server = TestServer.start()) {
            List<Message> sent = publishMany(server, 1, 4);
            String from = sent.get(1).position().toString();
            try (SseRecorder sse = SseRecorder.open(server.http("/sse?channel=news&lastEventId=" + encode(from)))) {
                assertThat(sse.awaitEvents(e -> true, 2, SseRecorder.TIMEOUT)).extracting(Event::id)
                        .containsExactly(sent.get(2).position().toString(), sent.get(3).position().toString());
            }
        }
    }

    @Test
    void theHeaderWinsOverTheQueryWhichWinsOverSince() {
        try (TestServer server = TestServer.start()) {
            List<Message> sent = publishMany(server, 1, 6);
            String at1 = encode(sent.get(0).position().toString());
            String at2 = encode(sent.get(1).position().toString());
            String at3 = encode(sent.get(2).position().toString());
            String at4 = sent.get(3).position().toString();

            try (SseRecorder sse = SseRecorder.open(
                    server.http("/sse?channel=news&since=" + at2 + "&lastEventId=" + at1),
                    b -> b.header("Last-Event-ID", at4))) {
                assertThat(sse.awaitEvent(e -> true).json().get("data").get("n").asInt()).isEqualTo(5);
            }
            try (SseRecorder sse = SseRecorder.open(
                    server.http("/sse?channel=news&since=" + at1 + "&lastEventId=" + at3))) {
                assertThat(sse.awaitEvent(e -> true).json().get("data").get("n").asInt()).isEqualTo(4);
            }
            try (SseRecorder sse = SseRecorder.open(server.http("/sse?channel=news&since=" + at2))) {
                assertThat(sse.awaitEvent(e -> true).json().get("data").get("n").asInt()).isEqualTo(3);
            }
        }
    }

    @Test
    void resumesEachChannelOfAStreamFromItsOwnSlot() {
        try (TestServer server = TestServer.start()) {
            Message a1 = publish(server, "room-a", "{\"n\":1}");
            publish(server, "room-b", "{\"n\":1}");
            Message a2 = publish(server, "room-a", "{\"n\":2}");
            Message b2 = publish(server, "room-b", "{\"n\":2}");
            // Had a1 and b2: only a2 is missing.
            String cursor = a1.position() + "," + b2.position();
            try (SseRecorder sse = SseRecorder.open(server.http("/sse?channel=room-a&channel=room-b"),
                    b -> b.header("Last-Event-ID", cursor))) {
                Message sentinel = publish(server, "room-b", "{\"n\":3}");
                sse.awaitEvent(e -> e.id().endsWith("," + sentinel.position()));
                assertThat(sse.events()).extracting(Event::id).containsExactly(
                        a2.position() + "," + b2.position(),
                        a2.position() + "," + sentinel.position());
            }
        }
    }

    private static List<Message> publishMany(TestServer server, int from, int count) {
        List<Message> out = new ArrayList<>();
        for (int n = from; n < from + count; n++) out.add(publish(server, "news", "{\"n\":" + n + "}"));
        return out;
    }

    private static List<String> ids(List<Message> messages) {
        return messages.stream().map(m -> m.position().toString()).toList();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
