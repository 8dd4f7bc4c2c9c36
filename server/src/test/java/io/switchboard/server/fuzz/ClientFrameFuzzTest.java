package io.switchboard.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.codec.Json;
import io.switchboard.server.protocol.ClientFrame;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Fuzzes the native protocol's frame decoder, {@link ClientFrame} (issue #9): arbitrary bytes, arbitrary
 * text and arbitrary JSON-ish objects built from the protocol's own field names. Parsing and every
 * accessor a door calls either succeed or throw the documented 400 {@link SwitchboardException} with one
 * of the protocol's codes — never another exception — and no frame takes seconds to decode.
 */
class ClientFrameFuzzTest {
    private static final Set<String> CODES = Set.of("bad_json", "bad_field", "bad_op", "bad_channel", "bad_event",
            "bad_position");
    private static final List<String> FIELDS = List.of("op", "channel", "event", "since", "limit", "data", "id", "token");
    private static final List<String> OPS = List.of("subscribe", "unsubscribe", "publish", "presence", "history", "auth",
            "ping", "Ping", "", "subscribe\u0000");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Property
    void arbitraryBytes(@ForAll byte[] payload) {
        decodeEverything(payload);
    }

    @Property
    void arbitraryText(@ForAll String text) {
        decodeEverything(text.getBytes(StandardCharsets.UTF_8));
    }

    @Property(edgeCases = EdgeCasesMode.FIRST) // nested generators have too many edge-case combinations to mix in
    void jsonishFrames(@ForAll("frames") ObjectNode frame) throws Exception {
        decodeEverything(new ObjectMapper().writeValueAsBytes(frame));
    }

    @Property(tries = 200)
    void deepNesting(@ForAll @IntRange(min = 1, max = 20_000) int depth) {
        String data = "[".repeat(depth) + "]".repeat(depth);
        byte[] frame = ("{\"op\":\"publish\",\"channel\":\"c\",\"data\":" + data + "}").getBytes(StandardCharsets.UTF_8);
        Throwable t = catchThrowable(() -> ClientFrame.parse(frame).data());
        if (depth < Json.MAX_DEPTH) assertThat(t).isNull();
        else assertDocumentedRefusal(t);
    }

    @Property
    void wellFormedSubscribesAreRead(@ForAll("channels") String channel, @ForAll @IntRange(min = 0, max = 1_000_000) int id) {
        ClientFrame f = ClientFrame.parse(("{\"op\":\"subscribe\",\"channel\":\"" + channel + "\",\"id\":" + id + "}")
                .getBytes(StandardCharsets.UTF_8));
        assertThat(f.op()).isEqualTo(ClientFrame.Op.SUBSCRIBE);
        assertThat(f.channel()).isEqualTo(channel);
        assertThat(f.id().asInt()).isEqualTo(id);
        assertThat(f.since()).isNull();
    }

    /** Parses and calls every accessor; each may succeed or be refused as documented. */
    private static void decodeEverything(byte[] payload) {
        long start = System.nanoTime();
        ClientFrame frame;
        try {
            frame = ClientFrame.parse(payload);
        } catch (Throwable t) {
            assertDocumentedRefusal(t);
            return;
        }
        for (Function<ClientFrame, Object> accessor : List.<Function<ClientFrame, Object>>of(ClientFrame::op,
                ClientFrame::channel, ClientFrame::event, ClientFrame::since, ClientFrame::limit, ClientFrame::data,
                ClientFrame::id, f -> f.string("token"))) {
            Throwable t = catchThrowable(() -> accessor.apply(frame));
            if (t != null) assertDocumentedRefusal(t);
        }
        // Never hangs: generous, since the machine may be busy, yet far below what a runaway parse would take.
        assertThat(System.nanoTime() - start).as("nanoseconds to decode one frame").isLessThan(5_000_000_000L);
    }

    private static void assertDocumentedRefusal(Throwable t) {
        assertThat(t).isInstanceOf(SwitchboardException.class);
        SwitchboardException e = (SwitchboardException) t;
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isIn(CODES);
        assertThat(e.reason()).isNotBlank();
    }

    // ---- generators ----

    @Provide
    Arbitrary<String> channels() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                .withChars("_-=@,.;:").ofMinLength(1).ofMaxLength(164);
    }

    /** Objects whose keys are mostly the protocol's fields and whose values are any JSON, often of the wrong type. */
    @Provide
    Arbitrary<ObjectNode> frames() {
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.strings().ofMaxLength(8));
        Arbitrary<JsonNode> value = Arbitraries.oneOf(Arbitraries.of(OPS).map(NODES::textNode), jsonValues(3),
                channels().map(NODES::textNode), Arbitraries.strings().withChars("ep:0123456789-,").ofMaxLength(30).map(NODES::textNode));
        return Arbitraries.maps(key, value).ofMaxSize(8).map(m -> {
            ObjectNode o = NODES.objectNode();
            m.forEach(o::set);
            return o;
        });
    }

    private static Arbitrary<JsonNode> jsonValues(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(NODES::textNode),
                Arbitraries.longs().map(NODES::numberNode),
                Arbitraries.bigDecimals().map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.of(new BigDecimal("1e400"), new BigDecimal("-0.0"), new BigDecimal("123456789012345678901234567890"))
                        .map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()));
        if (depth == 0) return leaf;
        Arbitrary<JsonNode> array = jsonValues(depth - 1).list().ofMaxSize(4).map(l -> {
            ArrayNode a = NODES.arrayNode();
            l.forEach(a::add);
            return a;
        });
        Arbitrary<JsonNode> object = Arbitraries.maps(Arbitraries.strings().ofMaxLength(6), jsonValues(depth - 1)).ofMaxSize(4)
                .map(m -> {
                    ObjectNode o = NODES.objectNode();
                    m.forEach(o::set);
                    return o;
                });
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, leaf), net.jqwik.api.Tuple.of(1, array),
                net.jqwik.api.Tuple.of(1, object));
    }
}
