package io.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Small helpers shared by the server API tests: JSON reading and request building. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();

    private Api() {}

    static JsonNode json(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }

    /** The 200 answer's JSON; fails with the body otherwise. */
    static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as("status of %s", r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        return json(r);
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    static HttpRequest.Builder request(TestServer server, String path) {
        return HttpRequest.newBuilder(server.http(path)).header("Authorization", "Bearer " + server.apiKey());
    }

    static HttpRequest post(TestServer server, String path, String body) {
        return request(server, path).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
