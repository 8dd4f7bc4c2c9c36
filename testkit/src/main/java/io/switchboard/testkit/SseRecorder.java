package io.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.codec.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A Server-Sent Events client over the JDK {@link HttpClient} that records what a browser's EventSource
 * would see: events parsed as the HTML standard says (fields {@code id}, {@code event}, {@code data},
 * {@code retry}; comments; dispatch on a blank line; multi-line data joined with {@code \n}; the last event
 * id updated even by blocks without data), plus comments (pings), status and headers. A refused request
 * (not {@code text/event-stream}) keeps its whole body in {@link #body()}.
 *
 * <p>A reader thread parses; the test thread waits with the {@code await…} methods. Close it at the end.
 */
public final class SseRecorder implements AutoCloseable {
    /** How long the await methods wait unless told otherwise. */
    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    // One HTTP/1.1 client for all recorders: SSE is HTTP/1.1 here, and each client owns a selector thread.
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One dispatched event. {@code id} is the stream's last event id when it was dispatched. */
    public record Event(String id, String event, String data) {
        /** The data parsed as JSON. */
        public JsonNode json() {
            return Json.parse(data.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpResponse<InputStream> response;
    private final Object lock = new Object();
    private final List<Event> events = new ArrayList<>();
    private final List<String> comments = new ArrayList<>();
    private String lastEventId = "";
    private Long retry;
    private String body;
    private boolean ended;
    private volatile boolean closing;

    // Parser buffers, touched only by the reader thread.
    private final StringBuilder data = new StringBuilder();
    private String eventType = "";
    private String idBuffer = "";

    private SseRecorder(HttpResponse<InputStream> response) {
        this.response = response;
    }

    /** Opens {@code uri} as an EventSource would ({@code Accept: text/event-stream}, no cache). */
    public static SseRecorder open(URI uri) {
        return open(uri, b -> b);
    }

    /** Opens {@code uri} with request changes (headers such as {@code Last-Event-ID} or {@code Origin}). */
    public static SseRecorder open(URI uri, UnaryOperator<HttpRequest.Builder> tweak) {
        HttpRequest request = tweak.apply(HttpRequest.newBuilder(uri).timeout(Duration.ofDays(1)).GET()
                .header("Accept", "text/event-stream").header("Cache-Control", "no-cache")).build();
        HttpResponse<InputStream> response;
        try {
            response = CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("SSE request to " + uri + " failed", e);
        }
        SseRecorder recorder = new SseRecorder(response);
        if (response.statusCode() == 200 && response.headers().firstValue("Content-Type").orElse("")
                .startsWith("text/event-stream")) {
            Thread reader = new Thread(recorder::read, "sse-recorder " + uri.getPath()); // no query: it may hold a token
            reader.setDaemon(true);
            reader.start();
        } else {
            recorder.readBody();
        }
        return recorder;
    }

    public int status() {
        return response.statusCode();
    }

    public HttpHeaders headers() {
        return response.headers();
    }

    /** The first value of header {@code name}, or null. */
    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The whole body of an answer that was not an event stream (an error), else null. */
    public String body() {
        synchronized (lock) {
            return body;
        }
    }

    /** The body of a refusal parsed as JSON. */
    public JsonNode bodyJson() {
        String b = body();
        if (b == null) throw new AssertionError("status " + status() + " answer is a stream, not a body");
        return Json.parse(b.getBytes(StandardCharsets.UTF_8));
    }

    /** Every event dispatched so far, in order. */
    public List<Event> events() {
        synchronized (lock) {
            return List.copyOf(events);
        }
    }

    /** Every comment so far (the text after {@code :}, one leading space removed), in order. */
    public List<String> comments() {
        synchronized (lock) {
            return List.copyOf(comments);
        }
    }

    /** The stream's last event id: what an EventSource would send as {@code Last-Event-ID}. */
    public String lastEventId() {
        synchronized (lock) {
            return lastEventId;
        }
    }

    /** The last {@code retry:} value in milliseconds, or null. */
    public Long retry() {
        synchronized (lock) {
            return retry;
        }
    }

    /** True once the server ended the body (or the connection broke). */
    public boolean ended() {
        synchronized (lock) {
            return ended;
        }
    }

    /** Waits for the first event (received so far or later) that matches. */
    public Event awaitEvent(Predicate<Event> match) {
        return awaitEvent(match, TIMEOUT);
    }

    public Event awaitEvent(Predicate<Event> match, Duration timeout) {
        return awaitEvents(match, 1, timeout).get(0);
    }

    /** Waits for an event named {@code event}. */
    public Event awaitEvent(String event) {
        return awaitEvent(e -> e.event().equals(event));
    }

    /** Waits until {@code count} events match and returns the first {@code count} of them, in order. */
    public List<Event> awaitEvents(Predicate<Event> match, int count, Duration timeout) {
        return awaitState(() -> {
            List<Event> found = new ArrayList<>();
            for (Event e : events) {
                if (match.test(e)) found.add(e);
                if (found.size() == count) return found;
            }
            return null;
        }, timeout, count + " matching events");
    }

    /** Waits until the last event id matches, and returns it. */
    public String awaitLastEventId(Predicate<String> match) {
        return awaitState(() -> match.test(lastEventId) ? lastEventId : null, TIMEOUT, "a matching last event id");
    }

    /** Waits for a comment equal to {@code text} (e.g. {@code "ping"}). */
    public void awaitComment(String text) {
        awaitState(() -> comments.contains(text) ? text : null, TIMEOUT, "comment '" + text + "'");
    }

    /** Waits until the server has ended the stream. */
    public void awaitEnd() {
        awaitState(() -> ended ? Boolean.TRUE : null, TIMEOUT, "the end of the stream");
    }

    private <T> T awaitState(LockWait.Check<T> check, Duration timeout, String what) {
        return LockWait.until(lock, check, timeout, what,
                () -> "events " + events + ", comments " + comments + ", last id '" + lastEventId + "', ended " + ended);
    }

    /** Disconnects, as a page closing its EventSource: the server sees the connection close. */
    @Override
    public void close() {
        closing = true;
        try {
            response.body().close();
        } catch (IOException ignored) {
            // closing a stream that already broke
        }
    }

    // ---- the reader thread ----

    private void readBody() {
        try (InputStream in = response.body()) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            synchronized (lock) {
                body = text;
                ended = true;
                lock.notifyAll();
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading the answer failed", e);
        }
    }

    private void read() {
        // BufferedReader.readLine ends lines at CR, LF or CRLF, exactly the stream's line rule.
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            boolean first = true;
            String line;
            while ((line = in.readLine()) != null) {
                if (first && line.startsWith("\uFEFF")) line = line.substring(1);
                first = false;
                line(line);
            }
        } catch (IOException e) {
            if (!closing) System.err.println("sse recorder: stream broke: " + e);
        } finally {
            // An event without its blank line is dropped at the end of the stream, as the standard says.
            synchronized (lock) {
                ended = true;
                lock.notifyAll();
            }
        }
    }

    private void line(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.charAt(0) == ':') {
            String comment = line.substring(1);
            if (comment.startsWith(" ")) comment = comment.substring(1);
            synchronized (lock) {
                comments.add(comment);
                lock.notifyAll();
            }
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) value = value.substring(1);
        switch (field) {
            case "event" -> eventType = value;
            case "data" -> data.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) idBuffer = value;
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    synchronized (lock) {
                        retry = Long.parseLong(value);
                        lock.notifyAll();
                    }
                }
            }
            default -> { } // unknown fields are ignored
        }
    }

    private void dispatch() {
        synchronized (lock) {
            lastEventId = idBuffer;
            if (data.length() > 0) {
                data.setLength(data.length() - 1); // the last data line's \n
                events.add(new Event(lastEventId, eventType.isEmpty() ? "message" : eventType, data.toString()));
            }
            lock.notifyAll();
        }
        data.setLength(0);
        eventType = "";
    }
}
