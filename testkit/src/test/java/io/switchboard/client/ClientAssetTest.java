package io.switchboard.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.BrowserScripts;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The server serves the JavaScript client from its jar: {@code /switchboard.js} (ES module) and
 * {@code /switchboard.global.js} (classic script), byte for byte what {@code client-js/dist} holds.
 */
class ClientAssetTest {
    @RegisterExtension
    static final TestServer server = TestServer.start();

    private static HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.http(path)).GET();
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return server.send(b.build());
    }

    @Test
    void bothBuildsAreServedAsJavaScriptExactlyAsClientJsDistHasThem() throws Exception {
        for (String name : List.of("switchboard.js", "switchboard.global.js")) {
            HttpResponse<String> r = get("/" + name, "Origin", "https://elsewhere.example");
            assertThat(r.statusCode()).as(name).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).as(name).hasValue("application/javascript; charset=utf-8");
            assertThat(r.headers().firstValue("Cache-Control")).as(name).hasValue("public, max-age=300");
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin"))
                    .as("a module from another origin needs CORS").hasValue("*");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            String dist = Files.readString(BrowserScripts.repoRoot().resolve("client-js/dist/" + name));
            assertThat(r.body()).as(name + " is the committed build").isEqualTo(dist);
        }
        assertThat(get("/switchboard.js").body()).contains("export { Switchboard, SwitchboardError };");
        assertThat(get("/switchboard.global.js").body()).contains("global.Switchboard = Switchboard;")
                .doesNotContain("export {");
    }

    @Test
    void anUnchangedCopyIsRevalidatedWithItsEtag() {
        HttpResponse<String> first = get("/switchboard.js");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).matches("\"[0-9a-f]{16}\"");
        HttpResponse<String> again = get("/switchboard.js", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get("/switchboard.js", "If-None-Match", "\"stale\"").statusCode()).isEqualTo(200);
        assertThat(get("/switchboard.global.js").headers().firstValue("ETag")).isNotEqualTo(first.headers().firstValue("ETag"));
    }

    @Test
    void headGivesTheHeadersAndOtherMethodsAreRefused() {
        HttpResponse<String> head = server.send(HttpRequest.newBuilder(server.http("/switchboard.js"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length").orElseThrow())
                .isEqualTo(get("/switchboard.js").body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);

        double before = server.server().metrics().errorCount("http", 405);
        HttpResponse<String> post = server.send(HttpRequest.newBuilder(server.http("/switchboard.js"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(post.body()).contains("\"error\":\"method_not_allowed\"");
        assertThat(server.server().metrics().errorCount("http", 405)).isEqualTo(before + 1);
        assertThat(get("/switchboard.js").statusCode()).as("and it still serves").isEqualTo(200);
    }
}
