package io.switchboard.server.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.core.message.ItemJson;
import io.switchboard.core.message.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LoopDeliveryTest {

    /** Counts flushes that reach the channel's outbound end. */
    static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int flushes;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }

    private static Message message(long offset) {
        return new Message("news", "update", "{\"n\":1}".getBytes(StandardCharsets.UTF_8), "ep", offset, 1L, null);
    }

    @Test
    void aBatchSharesOneBufferAndFlushesEachConnectionOnceAtItsEnd() {
        FlushCounter c1 = new FlushCounter();
        FlushCounter c2 = new FlushCounter();
        EmbeddedChannel ch1 = new EmbeddedChannel(c1);
        EmbeddedChannel ch2 = new EmbeddedChannel(c2); // its own embedded loop; only ch1's runs the batch
        LoopDelivery delivery = new LoopDelivery(ch1.eventLoop(), UnpooledByteBufAllocator.DEFAULT, LoopDelivery.DeliveryMeter.NONE);
        Message m = message(1);
        List<ByteBuf> handedOut = new ArrayList<>();
        c1.flushes = c2.flushes = 0; // EmbeddedChannel flushes once while it sets up

        delivery.execute(() -> {
            for (EmbeddedChannel ch : List.of(ch1, ch2)) {
                ByteBuf b = delivery.shared(m, ItemJson.FORMAT);
                handedOut.add(b);
                ch.write(b.retain()); // keep one reference to inspect after the batch
                delivery.flushSoon(ch);
            }
            assertThat(c1.flushes + c2.flushes).as("no flush inside the batch").isZero();
        });
        ch1.runPendingTasks();

        assertThat(c1.flushes).isEqualTo(1);
        assertThat(c2.flushes).isEqualTo(1);
        // Duplicates of one buffer share its reference count: 2 handed out + 2 retained by us = 4 after the
        // batch released its own reference. Separate copies would each count 2.
        assertThat(handedOut.get(0).refCnt()).as("one underlying buffer").isEqualTo(4);
        assertThat(handedOut.get(1).refCnt()).isEqualTo(4);
        ByteBuf out1 = ch1.readOutbound();
        ByteBuf out2 = ch2.readOutbound();
        assertThat(out1.toString(StandardCharsets.UTF_8)).isEqualTo(new String(m.encoded(ItemJson.FORMAT), StandardCharsets.UTF_8));
        out1.release();
        out2.release();
        // The written duplicates are released by the channel; ours are the last references.
        for (ByteBuf b : handedOut) b.release();
        assertThat(handedOut.get(0).refCnt()).as("shared buffer freed once everyone let go").isZero();
        assertThat(ch1.finish()).isFalse();
        assertThat(ch2.finish()).isFalse();
    }

    @Test
    void writesOutsideABatchAreFlushedByOneScheduledTask() throws Exception {
        FlushCounter counter = new FlushCounter();
        EmbeddedChannel ch = new EmbeddedChannel(counter);
        DefaultEventLoop loop = new DefaultEventLoop();
        try {
            LoopDelivery delivery = new LoopDelivery(loop, UnpooledByteBufAllocator.DEFAULT, LoopDelivery.DeliveryMeter.NONE);
            loop.submit(() -> {
                counter.flushes = 0; // EmbeddedChannel flushes once while it sets up
                for (int i = 1; i <= 3; i++) {
                    ch.write(delivery.shared(message(i), ItemJson.FORMAT));
                    delivery.flushSoon(ch);
                }
                assertThat(counter.flushes).as("not flushed while the loop is still busy").isZero();
            }).sync();
            loop.submit(() -> { }).sync(); // the scheduled flush ran before this
            assertThat(counter.flushes).isEqualTo(1);
        } finally {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
        int read = 0;
        for (ByteBuf b; (b = ch.readOutbound()) != null; read++) b.release();
        assertThat(read).isEqualTo(3);
        assertThat(ch.finish()).isFalse();
    }
}
