package io.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** LeakWatch finds a buffer that was never released, and only that. */
class LeakWatchTest {

    @Test
    void aReleasedBufferIsNoLeak() {
        LeakWatch watch = LeakWatch.start();
        ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        pooled.writeBytes("released".getBytes(StandardCharsets.UTF_8));
        pooled.release();
        ByteBuf heap = Unpooled.buffer(16).writeInt(42);
        heap.release();
        watch.assertNoLeaks();
    }

    @Test
    void aDeliberatelyLeakedBufferIsReported() {
        LeakWatch watch = LeakWatch.start();
        leakOne(); // Netty logs the leak at ERROR below: that report is this test's point
        assertThat(watch.leaks()).hasSize(1).first().asString()
                .startsWith("ByteBuf leaked").contains("deliberate leak of LeakWatchTest");
        assertThatThrownBy(watch::assertNoLeaks).isInstanceOf(AssertionError.class)
                .hasMessageContaining("1 ByteBuf leak(s)");
        // A watch started after the leak was found does not inherit it.
        LeakWatch.start().assertNoLeaks();
    }

    /** Allocates a buffer and drops it unreleased; kept out of line so nothing on the stack holds it. */
    private static void leakOne() {
        ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(32);
        leaked.writeLong(System.nanoTime());
        leaked.touch("deliberate leak of LeakWatchTest");
    }
}
