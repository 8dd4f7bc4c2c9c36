package io.switchboard.server.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The close codes are PROTOCOL.md's, unique, in the application range, and fit in a close frame. */
class CloseCodeTest {
    @Test
    void codesMatchTheProtocol() {
        assertThat(Arrays.stream(CloseCode.values()).mapToInt(CloseCode::code))
                .containsExactly(4400, 4401, 4403, 4408, 4409, 4410, 4413, 4429, 4503);
        for (CloseCode c : CloseCode.values()) {
            assertThat(CloseCode.of(c.code())).isSameAs(c);
            assertThat(WebSocketCloseStatus.isValidStatusCode(c.code())).isTrue();
            assertThat(c.reason().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        }
        assertThat(CloseCode.of(1000)).isNull();
        assertThat(CloseCode.GOING_AWAY.reconnect()).isTrue();
        assertThat(CloseCode.DISCONNECTED.reconnect()).isFalse();
    }
}
