package io.switchboard.server.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real webhook receiver for tests: the JDK's HTTP server on 127.0.0.1, port 0. It records every POST
 * (headers, exact body bytes, arrival time) and answers 200, or what it is told: scripted statuses first,
 * a fixed status, or nothing at all until closed (stalled).
 */
final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One POST as received, and the status it was answered with (0 while stalled). */
    record Post(String deliveryId, String signature, String contentType, byte[] body, long atNanos, int status) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<JsonNode> events() {
            List<JsonNode> events = new ArrayList<>();
            json().get("events").forEach(events::add);
            return events;
        }

        boolean accepted() {
            return status / 100 == 2;
        }
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final Queue<Integer> script = new ConcurrentLinkedQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile int status = 200;
    private volatile boolean stalled;

    private WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hooks", this::handle);
        server.setExecutor(handlers); // a stalled answer must not hold up the others
        server.start();
    }

    static WebhookReceiver start() {
        try {
            return new WebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks");
    }

    /** The next answers, in order; afterwards the fixed status. */
    WebhookReceiver answer(int... statuses) {
        for (int s : statuses) script.add(s);
        return this;
    }

    WebhookReceiver answerAlways(int s) {
        status = s;
        return this;
    }

    /** Takes requests but never answers them (until closed). */
    WebhookReceiver stall() {
        stalled = true;
        return this;
    }

    List<Post> posts() {
        return List.copyOf(posts);
    }

    /** Every event of every accepted POST, in arrival order. */
    List<JsonNode> delivered() {
        List<JsonNode> events = new ArrayList<>();
        for (Post p : posts) if (p.accepted()) events.addAll(p.events());
        return events;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            long at = System.nanoTime();
            var h = exchange.getRequestHeaders();
            if (stalled) {
                posts.add(new Post(h.getFirst("X-Switchboard-Delivery"), h.getFirst("X-Switchboard-Signature"),
                        h.getFirst("Content-Type"), body, at, 0));
                release.await(30, TimeUnit.SECONDS);
                return; // closing the exchange without an answer drops the connection
            }
            Integer scripted = script.poll();
            int answer = scripted != null ? scripted : status;
            posts.add(new Post(h.getFirst("X-Switchboard-Delivery"), h.getFirst("X-Switchboard-Signature"),
                    h.getFirst("Content-Type"), body, at, answer));
            exchange.sendResponseHeaders(answer, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }
}
