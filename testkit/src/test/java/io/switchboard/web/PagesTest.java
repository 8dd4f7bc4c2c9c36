package io.switchboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testkit.BrowserScripts;
import io.switchboard.testkit.RawHttp;
import io.switchboard.testkit.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pages' files as HTTP answers: each listed path gives its file from web/ with the right type, a strict
 * Content-Security-Policy, nosniff and an ETag; nothing else of the jar can be named; the demo pages exist
 * only with the demo on.
 */
class PagesTest {
    @RegisterExtension
    static final TestServer server = TestServer.start(c -> c.withDemo(true));

    private static final Map<String, String> PAGES = Map.ofEntries(
            Map.entry("/", "index.html"), Map.entry("/admin", "admin.html"), Map.entry("/lab", "lab.html"),
            Map.entry("/lab/pane", "pane.html"), Map.entry("/demo/chat", "chat.html"));

    private static HttpResponse<String> get(TestServer s, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.http(path)).GET();
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return s.send(b.build());
    }

    @Test
    void everyPageIsItsFileFromWebAsHtmlWithAStrictPolicy() throws Exception {
        for (Map.Entry<String, String> page : PAGES.entrySet()) {
            HttpResponse<String> r = get(server, page.getKey() + "?from=test");
            assertThat(r.statusCode()).as(page.getKey()).isEqualTo(200);
            assertThat(r.body()).as(page.getKey()).isEqualTo(Files.readString(BrowserScripts.repoRoot().resolve("web/" + page.getValue())));
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-cache");
            String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).contains("default-src 'none'", "script-src 'self';", "connect-src 'self'", "frame-ancestors 'self'")
                    .doesNotContain("unsafe-inline", "unsafe-eval", "http:", "*");
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).as("pages are not for other origins").isEmpty();
            // No inline script: every <script> has a src (the policy would block any other).
            assertThat(r.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>").doesNotContain(" style=", "onclick", "https://");
        }
        assertThat(get(server, "/web/lab.js").headers().firstValue("Content-Type")).hasValue("application/javascript; charset=utf-8");
        assertThat(get(server, "/web/style.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(get(server, "/web/favicon.svg").headers().firstValue("Content-Type")).hasValue("image/svg+xml");
    }

    @Test
    void onlyTheListedNamesAreServed() throws Exception {
        double before = server.server().metrics().errorCount("http", 404);
        List<String> others = List.of("/web/README.md", "/web/", "/web/nothing.js", "/lab/", "/index.html",
                "/web/../admin", "/web/%2e%2e/admin.html", "/lab/../web/lab.js", "/web/pages/lab.js",
                "/io/switchboard/server/web/pages/lab.html", "/web//lab.js");
        for (String path : others) {
            // Raw, so that the path reaches the server exactly as written (a URI client would normalize "..").
            RawHttp.Answer a = RawHttp.exchange(server.port(), "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", null);
            assertThat(a.status()).as(path).isEqualTo(404);
            assertThat(a.body()).as(path).contains("\"error\":\"not_found\"");
        }
        assertThat(server.server().metrics().errorCount("http", 404)).isEqualTo(before + others.size());
        assertThat(get(server, "/lab").statusCode()).as("and it still serves").isEqualTo(200);
    }

    @Test
    void anUnchangedPageIsRevalidatedWithItsEtagAndOtherMethodsAreRefused() {
        HttpResponse<String> first = get(server, "/lab");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = get(server, "/lab", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.headers().firstValue("Content-Security-Policy")).isPresent();

        double before = server.server().metrics().errorCount("http", 405);
        HttpResponse<String> post = server.send(HttpRequest.newBuilder(server.http("/admin"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(server.server().metrics().errorCount("http", 405)).isEqualTo(before + 1);
    }

    @Test
    void withoutTheDemoOnlyTheLandingPageAndAdminAreServed() {
        try (TestServer plain = TestServer.start()) {
            assertThat(plain.server().config().demo()).isFalse();
            for (String path : List.of("/lab", "/lab/pane", "/demo/chat", "/web/lab.js", "/web/pane.js", "/web/chat.js")) {
                assertThat(get(plain, path).statusCode()).as(path).isEqualTo(404);
            }
            assertThat(plain.send(HttpRequest.newBuilder(plain.http("/demo/token"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"ada\"}")).build()).statusCode()).isEqualTo(404);
            for (String path : List.of("/", "/admin", "/web/admin.js", "/web/landing.js", "/web/common.js", "/web/style.css")) {
                assertThat(get(plain, path).statusCode()).as(path).isEqualTo(200);
            }
        }
    }
}
