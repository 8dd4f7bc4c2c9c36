package io.switchboard.bench.jmh;

import io.switchboard.core.message.ItemJson;
import io.switchboard.core.message.Message;
import io.switchboard.server.codec.NativeFormats;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of encoding one message for each door, once (a fresh {@link Message} per operation, so its
 * encoding cache starts empty): the item JSON, and on top of it the WebSocket frame, the SSE event and
 * the NDJSON line that every subscriber of the door then shares.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
    @Param({"100", "1000"})
    public int dataBytes;

    private byte[] data;
    private long offset;

    @Setup
    public void setup() {
        data = ("{\"bm\":[0,1,2,3],\"pad\":\"" + "x".repeat(Math.max(0, dataBytes - 26)) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private Message message() {
        return new Message("news", "update", data, "q7Zc", ++offset, 1_764_000_000_000L, null);
    }

    @Benchmark
    public byte[] itemJson() {
        return message().encoded(ItemJson.FORMAT);
    }

    @Benchmark
    public byte[] wsFrame() {
        return message().encoded(NativeFormats.WS_FRAME);
    }

    @Benchmark
    public byte[] sseEvent() {
        return message().encoded(NativeFormats.SSE_EVENT);
    }

    @Benchmark
    public byte[] ndjsonLine() {
        return message().encoded(NativeFormats.NDJSON_LINE);
    }

    /** A second subscriber asking for the same encoding: the cache hit every fan-out relies on. */
    @Benchmark
    public byte[] cachedWsFrame(CachedMessage cached) {
        return cached.message.encoded(NativeFormats.WS_FRAME);
    }

    /** One message, encoded once, read many times. */
    @State(Scope.Thread)
    public static class CachedMessage {
        Message message;

        @Setup
        public void setup(CodecBenchmark b) {
            b.setup();
            message = b.message();
            message.encoded(NativeFormats.WS_FRAME);
        }
    }
}
