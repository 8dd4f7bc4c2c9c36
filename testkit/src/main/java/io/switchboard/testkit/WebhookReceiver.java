package io.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.server.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A real webhook receiver, as a backend would run one: the JDK's HTTP server on 127.0.0.1, port 0, that
 * records every POST (exact body bytes, signature, delivery id) and answers 200, or the statuses it is
 * scripted to answer first. {@link #verifies} checks a POST's signature as a backend must.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One POST as received, and the status it got. */
    public record Post(String deliveryId, String signature, String contentType, byte[] body, int status) {
        public JsonNode json() {
            return Json.parse(body);
        }

        /** The events of this POST's body, in order. */
        public List<JsonNode> events() {
            List<JsonNode> events = new ArrayList<>();
            json().get("events").forEach(events::add);
            return events;
        }

        public boolean accepted() {
            return status / 100 == 2;
        }
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "webhook-receiver");
        t.setDaemon(true);
        return t;
    });
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final Queue<Integer> script = new ConcurrentLinkedQueue<>();

    private WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hooks", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    public static WebhookReceiver start() {
        try {
            return new WebhookReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT/hooks} plus {@code query} (e.g. {@code ?key=…}; empty for none). */
    public URI url(String query) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks" + query);
    }

    public URI url() {
        return url("");
    }

    /** The next answers, in order (e.g. {@code 500} to fail once); then 200. */
    public WebhookReceiver answer(int... statuses) {
        for (int s : statuses) script.add(s);
        return this;
    }

    /** Every POST so far, in arrival order. */
    public List<Post> posts() {
        return List.copyOf(posts);
    }

    /** Every event of every accepted POST, in arrival order. */
    public List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        for (Post p : posts) if (p.accepted()) events.addAll(p.events());
        return events;
    }

    /** The {@code name} of each accepted event, in order. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (JsonNode e : events()) names.add(e.get("name").asText());
        return names;
    }

    /** True when {@code post} carries {@code sha256=HEX}, the HMAC-SHA256 of its exact body with {@code secret}. */
    public static boolean verifies(Post post, String secret) {
        if (post.signature() == null || !post.signature().startsWith("sha256=")) return false;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal(post.body());
            byte[] given = HexFormat.of().parseHex(post.signature().substring("sha256=".length()));
            return MessageDigest.isEqual(expected, given); // constant time, as a backend should compare
        } catch (IllegalArgumentException e) {
            return false; // not hex
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no HmacSHA256", e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var h = exchange.getRequestHeaders();
            Integer scripted = script.poll();
            int status = scripted != null ? scripted : 200;
            posts.add(new Post(h.getFirst("X-Switchboard-Delivery"), h.getFirst("X-Switchboard-Signature"),
                    h.getFirst("Content-Type"), body, status));
            exchange.sendResponseHeaders(status, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
