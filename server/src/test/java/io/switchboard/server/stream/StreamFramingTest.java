package io.switchboard.server.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.switchboard.server.codec.Items;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamFramingTest {
    private final ByteBufAllocator alloc = new UnpooledByteBufAllocator(false);

    @Test
    void ndjsonWritesOneItemPerLineAndABlankLineAsHeartbeat() {
        StreamFraming f = StreamFraming.ndjson();
        assertThat(f.door()).isEqualTo("stream");
        assertThat(f.contentType()).isEqualTo("application/x-ndjson; charset=utf-8");
        assertThat(text(f.first(alloc, "S1", "ab:3,-"))).isEqualTo("{\"type\":\"open\",\"session\":\"S1\",\"cursor\":\"ab:3,-\"}\n");
        assertThat(text(f.control(alloc, Items.error(503, "going </script>", null))))
                .isEqualTo("{\"type\":\"error\",\"code\":503,\"reason\":\"going </script>\"}\n");
        assertThat(text(f.heartbeat(alloc))).isEqualTo("\n");
        ByteBuf item = Unpooled.copiedBuffer("{\"type\":\"message\"}\n", StandardCharsets.UTF_8);
        ByteBuf framed = f.item(alloc, item);
        assertThat(framed).as("NDJSON items go out as they are").isSameAs(item);
        assertThat(text(framed)).isEqualTo("{\"type\":\"message\"}\n");
    }

    @Test
    void iframeStartsWithAKilobyteOfDocumentThenCallsTheCallbackPerItem() {
        StreamFraming f = StreamFraming.iframe("parent.on_item");
        assertThat(f.door()).isEqualTo("iframe");
        assertThat(f.contentType()).isEqualTo("text/html; charset=utf-8");
        String first = text(f.first(alloc, "S1", "ab:3"));
        String open = "<script>parent.on_item({\"type\":\"open\",\"session\":\"S1\",\"cursor\":\"ab:3\"});</script>";
        assertThat(first).startsWith("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">").endsWith("-->\n" + open);
        assertThat(first.length() - open.length()).isEqualTo(StreamFraming.MIN_FIRST_CHUNK);

        assertThat(text(f.control(alloc, Items.error(503, "going </script>", null))))
                .isEqualTo("<script>parent.on_item({\"type\":\"error\",\"code\":503,\"reason\":\"going \\u003c/script\\u003e\"});</script>");
        assertThat(text(f.heartbeat(alloc))).isEqualTo("<script>parent.on_item({\"type\":\"ping\"});</script>");
        ByteBuf item = Unpooled.copiedBuffer("{\"n\":1}", StandardCharsets.UTF_8);
        ByteBuf framed = f.item(alloc, item);
        assertThat(text(framed)).isEqualTo("<script>parent.on_item({\"n\":1});</script>");
        assertThat(item.refCnt()).as("the framed buffer owned the item and released it with itself").isZero();
    }

    /** Reads and releases {@code buf}. */
    private static String text(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }
}
