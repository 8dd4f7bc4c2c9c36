package io.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpServerCodec;
import io.switchboard.server.metrics.Metrics;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link BodyLimit}'s shortcut for requests without a body gives what aggregation gave: one whole request each. */
class BodyLimitBodilessTest {

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new HttpServerCodec(), new BodyLimit(1024, new Metrics()));
    }

    @Test
    void requests_without_a_body_and_with_one_arrive_whole_and_in_order() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.copiedBuffer("GET /poll?channel=a HTTP/1.1\r\nHost: x\r\nX-Mine: 1\r\n\r\n"
                + "POST /send HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
                + "GET /poll?channel=b HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));

        FullHttpRequest first = ch.readInbound();
        assertThat(first.method()).isEqualTo(HttpMethod.GET);
        assertThat(first.uri()).isEqualTo("/poll?channel=a");
        assertThat(first.headers().get("X-Mine")).isEqualTo("1");
        assertThat(first.headers().get(HttpHeaderNames.CONTENT_LENGTH)).as("as the aggregator set it").isEqualTo("0");
        assertThat(first.content().readableBytes()).isZero();
        assertThat(first.decoderResult().isSuccess()).isTrue();
        first.release();

        FullHttpRequest second = ch.readInbound();
        assertThat(second.method()).isEqualTo(HttpMethod.POST);
        assertThat(second.content().toString(StandardCharsets.UTF_8)).isEqualTo("{}");
        second.release();

        FullHttpRequest third = ch.readInbound();
        assertThat(third.uri()).isEqualTo("/poll?channel=b");
        third.release();
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void a_request_the_decoder_could_not_read_still_reaches_the_dispatcher_marked_failed() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.copiedBuffer("GET /poll HTTP/1.1\r\nBad Header\r\n\r\n", StandardCharsets.US_ASCII));
        FullHttpRequest r = ch.readInbound();
        assertThat(r.decoderResult().isFailure()).isTrue();
        r.release();
        ch.finishAndReleaseAll();
    }
}
