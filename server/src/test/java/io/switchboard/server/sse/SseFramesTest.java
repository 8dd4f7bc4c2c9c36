package io.switchboard.server.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.switchboard.core.message.Cursor;
import io.switchboard.core.message.Position;
import io.switchboard.server.codec.Items;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SseFramesTest {
    private final ByteBufAllocator alloc = new UnpooledByteBufAllocator(false);

    @Test
    void writesRetryIdAndPingLines() {
        Cursor cursor = Cursor.parse("q7Zc:41,q7Zc:17", 2);
        assertThat(text(SseFrames.retry(alloc, 2000))).isEqualTo("retry: 2000\n");
        assertThat(text(SseFrames.idBlock(alloc, cursor))).isEqualTo("id: q7Zc:41,q7Zc:17\n\n");
        assertThat(text(SseFrames.idLine(alloc, cursor))).isEqualTo("id: q7Zc:41,q7Zc:17\n");
        assertThat(text(SseFrames.ping(alloc))).isEqualTo(": ping\n\n");
    }

    @Test
    void writesControlEventsWithAndWithoutAnId() {
        Cursor cursor = Cursor.parse("ab:3", 1);
        assertThat(text(SseFrames.control(alloc, cursor, "sb:gap", Items.gap("news", new Position("ab", 3)))))
                .isEqualTo("id: ab:3\nevent: sb:gap\ndata: {\"type\":\"gap\",\"channel\":\"news\",\"epoch\":\"ab\","
                        + "\"offset\":3}\n\n");
        assertThat(text(SseFrames.control(alloc, null, "sb:error", Items.error(503, "server\ngoing away", null))))
                .as("a line break in a reason stays escaped inside the JSON")
                .isEqualTo("event: sb:error\ndata: {\"type\":\"error\",\"code\":503,\"reason\":\"server\\ngoing away\"}\n\n");
    }

    /** Reads and releases {@code buf}. */
    private static String text(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            assertThat(buf.release()).isTrue();
        }
    }
}
