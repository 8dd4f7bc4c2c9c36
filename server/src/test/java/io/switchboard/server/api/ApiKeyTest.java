package io.switchboard.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.core.error.SwitchboardException;
import org.junit.jupiter.api.Test;

class ApiKeyTest {
    final ApiKey key = new ApiKey("s3cret-key");

    static HttpRequest with(String authorization) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/channels");
        if (authorization != null) r.headers().set("Authorization", authorization);
        return r;
    }

    @Test
    void bearerWithTheKeyPasses() {
        assertThatCode(() -> key.check(with("Bearer s3cret-key"))).doesNotThrowAnyException();
        assertThatCode(() -> key.check(with("bearer s3cret-key"))).as("scheme is case-insensitive").doesNotThrowAnyException();
    }

    @Test
    void anythingElseIsA401ThatDoesNotRepeatTheKey() {
        for (String header : new String[] {null, "", "Bearer", "Bearer ", "Bearer s3cret", "Bearer s3cret-key2",
                "Bearer S3CRET-KEY", "Basic s3cret-key", "s3cret-key", "Bearers3cret-key"}) {
            assertThatThrownBy(() -> key.check(with(header))).as(String.valueOf(header))
                    .isInstanceOfSatisfying(SwitchboardException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.code()).isEqualTo("unauthorized");
                        assertThat(e.reason()).doesNotContain("s3cret");
                    });
        }
    }
}
