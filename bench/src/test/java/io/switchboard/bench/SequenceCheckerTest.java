package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceCheckerTest {

    @Test
    void inOrderDeliveryHasNoFaults() {
        SequenceChecker c = new SequenceChecker(2);
        for (long s = 0; s < 10; s++) {
            assertThat(c.accept(0, s)).isTrue();
            assertThat(c.accept(1, s)).isTrue();
        }
        assertThat(c.received()).isEqualTo(20);
        assertThat(c.lost(new long[] {10, 10})).isZero();
        assertThat(c.duplicated()).isZero();
        assertThat(c.reordered()).isZero();
    }

    @Test
    void lossDuplicateAndReorderingAreEachCounted() {
        SequenceChecker c = new SequenceChecker(1);
        for (long s : new long[] {0, 1, 2, 4, 5, 5, 7, 6, 8}) c.accept(0, s); // 3 lost, 5 twice, 6 late
        assertThat(c.lost(new long[] {9})).isEqualTo(1);
        assertThat(c.duplicated()).isEqualTo(1);
        assertThat(c.reordered()).isEqualTo(1);
        assertThat(c.received()).isEqualTo(8);
    }

    @Test
    void messagesMissingAtTheEndAreLost() {
        SequenceChecker c = new SequenceChecker(1);
        c.accept(0, 0);
        c.accept(0, 1);
        assertThat(c.lost(new long[] {5})).isEqualTo(3);
        assertThat(c.lost(new long[] {5, 4})).as("a second publisher that was never heard from").isEqualTo(7);
    }

    @Test
    void aLateMessageAfterItsGapWasCountedIsReorderedOnlyOnce() {
        SequenceChecker c = new SequenceChecker(1);
        c.accept(0, 1);
        assertThat(c.accept(0, 0)).isTrue();
        assertThat(c.accept(0, 0)).as("the same late message again").isFalse();
        assertThat(c.reordered()).isEqualTo(1);
        assertThat(c.duplicated()).isEqualTo(1);
        assertThat(c.lost(new long[] {2})).isZero();
    }

    @Test
    void scannerFindsMarkersInAnyFramingAndAcrossBufferBoundaries() {
        List<long[]> found = new ArrayList<>();
        MarkerScanner scanner = new MarkerScanner((p, s, i, t) -> found.add(new long[] {p, s, i, t}));
        String stream = "id: x\nevent: m\ndata: {\"type\":\"message\",\"data\":{" + MarkerScanner.marker(0, 7, 100, 105)
                + ",\"pad\":\"xx\"}}\n\n42[\"m\",{" + MarkerScanner.marker(-1, 0, 3, 4) + "}]\"bm\":[1,2]\"bm\":[3,x]";
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut < bytes.length; cut += 7) { // 7-byte reads split markers everywhere
            ByteBuf buf = Unpooled.wrappedBuffer(bytes, cut, Math.min(7, bytes.length - cut));
            scanner.scan(buf);
            assertThat(buf.readerIndex()).isZero();
        }
        assertThat(found).containsExactly(new long[] {0, 7, 100, 105}, new long[] {-1, 0, 3, 4});
    }

    @Test
    void whatIsMissingAfterTheLastMessageIsToldApartFromGaps() {
        SequenceChecker c = new SequenceChecker(2);
        for (long s : new long[] {0, 1, 3, 4}) c.accept(0, s); // 2 is a gap; 5..9 never came
        c.accept(1, 0);                                       // 1..4 never came
        long[] sent = {10, 5};
        assertThat(c.lost(sent)).isEqualTo(1 + 5 + 4);
        assertThat(c.missingAtTheEnd(sent)).isEqualTo(5 + 4);
    }
}
