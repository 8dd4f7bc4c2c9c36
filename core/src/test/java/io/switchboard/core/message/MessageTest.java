package io.switchboard.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MessageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A format that counts its encodings and can hold the first one open until the test lets it go. */
    private static final class CountingFormat extends WireFormat {
        final AtomicInteger entered = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);

        CountingFormat(int slot) {
            super(slot, "counting-" + slot);
        }

        @Override
        protected byte[] encode(Message m) {
            entered.incrementAndGet();
            try {
                if (!gate.await(20, TimeUnit.SECONDS)) throw new AssertionError("gate never opened");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return (name() + ":" + m.offset()).getBytes(StandardCharsets.UTF_8);
        }
    }

    @Test
    void encodesOncePerFormatHoweverOftenItIsAsked() {
        Message m = message("{\"a\":1}", null);
        CountingFormat format = new CountingFormat(7);
        byte[] first = m.encoded(format);
        for (int i = 0; i < 100; i++) assertThat(m.encoded(format)).isSameAs(first);
        assertThat(format.encodings()).isEqualTo(1);
        assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("counting-7:42");

        // Another message is encoded on its own; another format has its own slot.
        message("1", null).encoded(format);
        assertThat(format.encodings()).isEqualTo(2);
        CountingFormat other = new CountingFormat(6);
        assertThat(new String(m.encoded(other), StandardCharsets.UTF_8)).isEqualTo("counting-6:42");
        assertThat(m.encoded(format)).isSameAs(first);
        assertThat(other.encodings()).isEqualTo(1);
    }

    /**
     * Many loops asking for a new message's bytes at the same moment still serialize it once: the first
     * encoding is held open until every other thread is either inside encode too (which would be the
     * bug) or waiting for it.
     */
    @Test
    void encodesOnceWhenManyThreadsAskAtTheSameTime() throws Exception {
        Message m = message("{\"a\":1}", null);
        CountingFormat format = new CountingFormat(5);
        format.gate = new CountDownLatch(1);
        int n = 8;
        List<Thread> threads = new ArrayList<>();
        List<CompletableFuture<byte[]>> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CompletableFuture<byte[]> result = new CompletableFuture<>();
            results.add(result);
            Thread t = new Thread(() -> result.complete(m.encoded(format)), "encoder-" + i);
            threads.add(t);
            t.start();
        }
        Set<Thread.State> parked = Set.of(Thread.State.BLOCKED, Thread.State.WAITING, Thread.State.TIMED_WAITING);
        await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5)).until(() -> format.entered.get() >= 1
                && threads.stream().allMatch(t -> parked.contains(t.getState())));
        format.gate.countDown();

        byte[] first = results.get(0).get(20, TimeUnit.SECONDS);
        for (CompletableFuture<byte[]> r : results) assertThat(r.get(20, TimeUnit.SECONDS)).isSameAs(first);
        assertThat(format.encodings()).isEqualTo(1);
        assertThat(format.entered.get()).isEqualTo(1);
    }

    @Test
    void itemJsonHasEveryFieldAndTheDataAsWritten() throws Exception {
        // Data is written raw: the publisher's spacing and number spelling survive (a re-encode would not).
        String data = "{ \"price\" : 2.50, \"tags\":[\"a\",\"\u00e9\"], \"big\":12345678901234567890 }";
        Message m = message(data, "user-7");
        String json = new String(m.encoded(ItemJson.FORMAT), StandardCharsets.UTF_8);

        JsonNode item = JSON.readTree(json);
        assertThat(item.get("type").asText()).isEqualTo("message");
        assertThat(item.get("channel").asText()).isEqualTo("news");
        assertThat(item.get("event").asText()).isEqualTo("update");
        assertThat(item.get("data")).isEqualTo(JSON.readTree(data));
        assertThat(item.get("epoch").asText()).isEqualTo("q7Zc");
        assertThat(item.get("offset").asLong()).isEqualTo(42);
        assertThat(item.get("ts").asLong()).isEqualTo(1_764_000_000_000L);
        assertThat(item.get("from").asText()).isEqualTo("user-7");
        assertThat(item.size()).isEqualTo(8);
        assertThat(json).contains("\"data\":" + data + ",");
        assertThat(json).startsWith("{\"type\":\"message\",\"channel\":\"news\",\"event\":\"update\",");
    }

    @Test
    void itemJsonLeavesOutFromWhenThePublisherHadNoIdentity() throws Exception {
        Message m = message("[1,\"two\",null,true]", null);
        JsonNode item = JSON.readTree(m.encoded(ItemJson.FORMAT));
        assertThat(item.has("from")).isFalse();
        assertThat(item.size()).isEqualTo(7);
        assertThat(item.get("data")).isEqualTo(JSON.readTree("[1,\"two\",null,true]"));
    }

    @Test
    void itemJsonEscapesIdentitiesThatNeedIt() throws Exception {
        String from = "o'hara \"the\" \\ user\n\u00e9";
        JsonNode item = JSON.readTree(message("\"text\"", from).encoded(ItemJson.FORMAT));
        assertThat(item.get("from").asText()).isEqualTo(from);
        assertThat(item.get("data").asText()).isEqualTo("text");
    }

    @Test
    void itemJsonIsCachedLikeAnyFormat() {
        long before = ItemJson.FORMAT.encodings();
        Message m = message("1", null);
        byte[] first = m.encoded(ItemJson.FORMAT);
        assertThat(m.encoded(ItemJson.FORMAT)).isSameAs(first);
        // Other tests may encode with the shared format concurrently, so only a lower bound is exact.
        assertThat(ItemJson.FORMAT.encodings()).isGreaterThanOrEqualTo(before + 1);
    }

    @Test
    void ofGivesAPublicationItsPlace() {
        Publication p = new Publication("news", "update", "{}".getBytes(StandardCharsets.UTF_8), "u");
        Message m = Message.of(p, "q7Zc", 42, 1_764_000_000_000L);
        assertThat(m.position()).isEqualTo(new Position("q7Zc", 42));
        assertThat(m.channel()).isEqualTo("news");
        assertThat(m.event()).isEqualTo("update");
        assertThat(m.data()).isSameAs(p.data());
        assertThat(m.from()).isEqualTo("u");
        assertThat(m.timestamp()).isEqualTo(1_764_000_000_000L);
    }

    private static Message message(String data, String from) {
        return new Message("news", "update", data.getBytes(StandardCharsets.UTF_8), "q7Zc", 42,
                1_764_000_000_000L, from);
    }
}
