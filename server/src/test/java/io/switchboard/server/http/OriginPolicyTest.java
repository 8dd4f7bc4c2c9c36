package io.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OriginPolicyTest {
    private final OriginPolicy policy = new OriginPolicy(List.of("https://app.example.com", "HTTP://Other.Example:8443/"));

    @ParameterizedTest(name = "{0} with Host {1} -> {2}")
    @CsvSource(nullValues = "NULL", value = {
            "NULL, 127.0.0.1:8080, true",
            "http://localhost:3000, sb.example:80, true",
            "https://localhost, sb.example:80, true",
            "http://127.0.0.1:5173, sb.example:80, true",
            "http://[::1]:5173, sb.example:80, true",
            "http://sb.example:8080, sb.example:8080, true",
            "http://sb.example:8080, sb.example:9090, false",
            "https://app.example.com, sb.example, true",
            "https://app.example.com/, sb.example, true",
            "http://other.example:8443, sb.example, true",
            "https://evil.example, sb.example, false",
            "http://localhost.evil.example, sb.example, false",
            "http://127.0.0.1.evil.example, sb.example, false",
            "null, sb.example, false",
            "file://, sb.example, false",
            "ftp://localhost, sb.example, false",
            "http://localhost/path, sb.example, false",
            "not a url, sb.example, false",
    })
    void decidesAsProtocolSays(String origin, String host, boolean allowed) {
        assertThat(policy.allows(origin, host)).isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource({"https://anything.example", "http://x:1"})
    void starAllowsEveryOrigin(String origin) {
        assertThat(new OriginPolicy(List.of("*")).allows(origin, "h")).isTrue();
    }
}
