package io.switchboard.server.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.server.ServerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a webhook config accepts, and that it never prints its secret or a URL's credentials. */
class WebhookConfigTest {

    @Test
    void defaultsAreThoseOfTheIssue() {
        WebhookConfig c = WebhookConfig.NONE;
        assertThat(c.enabled()).isFalse();
        assertThat(c.batchSize()).isEqualTo(50);
        assertThat(c.batchDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.queueSize()).isEqualTo(10_000);
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.retryBase()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.retryMax()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.includeClientPublishes()).isFalse();
        assertThat(ServerConfig.defaults("k").webhooks()).isSameAs(WebhookConfig.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://backend.example.com/hooks", "http://127.0.0.1:9000/", "HTTPS://Example.com"})
    void httpAndHttpsUrlsAreAccepted(String raw) {
        assertThat(WebhookConfig.url(raw)).isEqualTo(URI.create(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/hooks", "example.com/hooks", "/hooks", "http:hooks", "http://", "https://exa mple.com"})
    void otherUrlsAreRefusedWithAnExample(String raw) {
        assertThatThrownBy(() -> WebhookConfig.url(raw)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + raw + "' is not an http or https URL (e.g. https://backend.example.com/switchboard)");
    }

    @Test
    void errorsLeaveOutQueriesAndUserInfo() {
        assertThatThrownBy(() -> WebhookConfig.url("ftp://example.com/hooks?key=topsecret"))
                .hasMessageStartingWith("'ftp://example.com/hooks?…' is not").message().doesNotContain("topsecret");
        assertThatThrownBy(() -> WebhookConfig.url("https://bob:topsecret@example.com/hooks"))
                .hasMessage("webhook URL https://…@example.com/hooks has user info, which is not sent"
                        + " (put credentials in the path or query instead)");
        URI u = URI.create("https://example.com/hooks?key=topsecret");
        assertThatThrownBy(() -> WebhookConfig.NONE.withUrls(List.of(u, u)))
                .hasMessage("webhook URL https://example.com/hooks?… is listed twice");
    }

    @Test
    void theSecretAndUrlQueriesAreNeverPrinted() {
        WebhookConfig c = WebhookConfig.NONE.withUrls(List.of(URI.create("https://example.com/hooks?key=k3y"),
                URI.create("http://127.0.0.1:9000/h"))).withSecret("hunter2-very-secret");
        ServerConfig server = ServerConfig.defaults("api").withWebhooks(c);
        assertThat(server.webhooks()).isEqualTo(c);
        assertThat(server.toString()).contains("urls=[https://example.com/hooks?…, http://127.0.0.1:9000/h]", "secret=set")
                .doesNotContain("hunter2", "k3y");
        assertThat(WebhookConfig.NONE.toString()).contains("secret=none");
    }

    @Test
    void limitsAreChecked() {
        WebhookConfig c = WebhookConfig.NONE;
        assertThatThrownBy(() -> c.withBatchSize(0)).hasMessage("batchSize must be >= 1");
        assertThatThrownBy(() -> c.withQueueSize(49)).hasMessage("queueSize must be >= batchSize");
        assertThatThrownBy(() -> c.withBatchDelay(Duration.ZERO)).hasMessage("batchDelay must be > 0");
        assertThatThrownBy(() -> c.withTimeout(Duration.ofSeconds(-1))).hasMessage("timeout must be > 0");
        assertThatThrownBy(() -> c.withRetry(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("retryMax must be >= retryBase");
        assertThatThrownBy(() -> c.withSecret(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ServerConfig.defaults("k").withWebhooks(null)).isInstanceOf(NullPointerException.class);
    }
}
