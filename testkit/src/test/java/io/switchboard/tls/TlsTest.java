package io.switchboard.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.server.TlsConfig;
import io.switchboard.testkit.SelfSigned;
import io.switchboard.testkit.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --tls-cert}/{@code --tls-key}: every door over TLS (https, wss, streams) with HTTP/1.1 agreed
 * over ALPN; clients that do not trust the certificate, or speak plain HTTP, get nothing.
 */
class TlsTest {
    @TempDir
    Path dir;
    private SelfSigned cert;
    private TestServer server;
    private HttpClient client;

    @BeforeEach
    void start() {
        cert = SelfSigned.create(dir);
        server = TestServer.start(c -> c.withTls(new TlsConfig(cert.cert(), cert.key())));
        client = HttpClient.newBuilder().sslContext(cert.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void https_answers_with_http_1_1_agreed_over_alpn() throws Exception {
        assertThat(server.http("/healthz").getScheme()).isEqualTo("https");
        // The JDK client asks for h2 first over ALPN; the server offers http/1.1 only.
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.http("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(r.body()).contains("\"status\":\"ok\"");
    }

    @Test
    void wss_and_an_https_stream_receive_what_the_api_publishes_over_https() throws Exception {
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket ws = client.newWebSocketBuilder().buildAsync(server.ws("/ws"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                frames.add(data.toString());
                w.request(1);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        assertThat(server.ws("/ws").getScheme()).isEqualTo("wss");
        assertThat(frames.poll(10, TimeUnit.SECONDS)).contains("\"type\":\"welcome\"");
        ws.sendText("{\"op\":\"subscribe\",\"channel\":\"secure\"}", true);
        assertThat(frames.poll(10, TimeUnit.SECONDS)).contains("\"type\":\"subscribed\"");

        CompletableFuture<HttpResponse<Stream<String>>> stream = client.sendAsync(
                HttpRequest.newBuilder(server.http("/stream?channel=secure")).build(), HttpResponse.BodyHandlers.ofLines());
        Iterator<String> lines = stream.get(10, TimeUnit.SECONDS).body().iterator();
        assertThat(lines.next()).contains("\"type\":\"open\"");

        HttpResponse<String> published = client.send(HttpRequest.newBuilder(server.http("/api/publish"))
                .header("Authorization", "Bearer " + server.apiKey())
                .POST(HttpRequest.BodyPublishers.ofString("{\"channel\":\"secure\",\"data\":{\"tls\":true}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(published.statusCode()).isEqualTo(200);

        assertThat(frames.poll(10, TimeUnit.SECONDS)).contains("\"data\":{\"tls\":true}");
        assertThat(lines.next()).contains("\"data\":{\"tls\":true}");
        ws.abort();
    }

    @Test
    void a_client_that_does_not_trust_the_certificate_or_speaks_plain_http_gets_nothing() {
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(server.http("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);

        URI plain = URI.create("http://127.0.0.1:" + server.port() + "/healthz");
        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }
}
