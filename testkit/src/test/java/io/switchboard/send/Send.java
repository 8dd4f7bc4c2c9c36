package io.switchboard.send;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.codec.Json;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/** Requests to {@code POST /send} and the {@code /poll} door the way a page's {@code fetch} makes them. */
final class Send {
    private Send() {}

    /** POSTs {@code body} to {@code /send} + {@code query} (e.g. {@code ?session=…}). */
    static HttpResponse<String> post(TestServer server, String query, String body) {
        return post(server, query, body, b -> b);
    }

    static HttpResponse<String> post(TestServer server, String query, String body, UnaryOperator<HttpRequest.Builder> tweak) {
        return server.send(tweak.apply(HttpRequest.newBuilder(server.http("/send" + query))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))).build());
    }

    /** The 200 answer's JSON, checked for the headers every answer has. */
    static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        return json(r);
    }

    static JsonNode json(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode get(TestServer server, String pathAndQuery) {
        return ok(server.send(HttpRequest.newBuilder(server.http(pathAndQuery)).GET().build()));
    }

    /** How many messages the node has accepted for publishing so far. */
    static double published(TestServer server) {
        return server.server().metrics().registry().get("switchboard.messages.published").counter().count();
    }
}
