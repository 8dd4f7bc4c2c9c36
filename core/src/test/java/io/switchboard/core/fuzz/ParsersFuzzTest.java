package io.switchboard.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.switchboard.core.channel.ChannelName;
import io.switchboard.core.channel.EventName;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.message.Cursor;
import io.switchboard.core.message.Position;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzes the parsers of client text in core (issue #9): positions, cursors, channel and event names. Each
 * property checks a parser against a regular expression written from PROTOCOL.md (the oracle): what the
 * grammar allows parses and round-trips, anything else is the documented 400 — never another exception.
 * jqwik, 2,000 tries per property (junit-platform.properties).
 */
class ParsersFuzzTest {
    private static final Pattern POSITION = Pattern.compile("[A-Za-z0-9_-]{1,16}:[0-9]{1,18}");
    private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9_\\-=@,.;:]{1,164}");
    private static final Pattern EVENT = Pattern.compile("[A-Za-z0-9_\\-.:]{1,64}");

    @Property
    void positionsRoundTrip(@ForAll("epochs") String epoch, @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long offset) {
        Position p = new Position(epoch, offset);
        if (Long.toString(offset).length() <= 18) {
            assertThat(Position.parse(p.toString())).isEqualTo(p);
        } else {
            assertBadRequest(() -> Position.parse(p.toString()), "bad_position"); // 19 digits may overflow: refused
        }
    }

    @Property
    void anyTextIsAPositionOrBadPosition(@ForAll("positionish") String text) {
        Throwable t = catchThrowable(() -> Position.parse(text));
        if (POSITION.matcher(text).matches()) {
            assertThat(t).isNull();
            Position p = Position.parse(text);
            assertThat(Position.parse(p.toString())).isEqualTo(p);
        } else {
            assertBadRequest(t, "bad_position");
        }
    }

    @Property
    void cursorsRoundTrip(@ForAll @Size(min = 1, max = 20) List<@From("positionsOrNow") Position> slots) {
        Cursor c = Cursor.fromNow(slots.size());
        for (int i = 0; i < slots.size(); i++) c.set(i, slots.get(i));
        assertThat(Cursor.parse(c.toString(), slots.size())).isEqualTo(c);
    }

    @Property
    void anyTextIsACursorOrBadCursor(@ForAll("cursorish") String text, @ForAll @IntRange(min = 1, max = 4) int channels) {
        Throwable t = catchThrowable(() -> Cursor.parse(text, channels));
        if (text.isEmpty() || wellFormedCursor(text, channels)) {
            assertThat(t).isNull();
        } else {
            assertBadRequest(t, "bad_cursor");
        }
    }

    @Property
    void channelNamesFollowTheGrammar(@ForAll("nameish") String name) {
        Throwable t = catchThrowable(() -> ChannelName.check(name));
        if (CHANNEL.matcher(name).matches()) {
            assertThat(t).isNull();
            assertThat(ChannelName.check(name)).isEqualTo(name);
        } else {
            assertBadRequest(t, "bad_channel");
        }
    }

    @Property
    void eventNamesFollowTheGrammar(@ForAll("nameish") String name) {
        Throwable t = catchThrowable(() -> EventName.check(name));
        if (EVENT.matcher(name).matches() && !name.startsWith("sb:")) {
            assertThat(t).isNull();
        } else {
            assertBadRequest(t, "bad_event");
        }
    }

    private static boolean wellFormedCursor(String text, int channels) {
        String[] slots = text.split(",", -1);
        if (slots.length != channels) return false;
        for (String s : slots) {
            if (!s.equals("-") && !POSITION.matcher(s).matches()) return false;
        }
        return true;
    }

    private static void assertBadRequest(Runnable parse, String code) {
        assertBadRequest(catchThrowable(parse::run), code);
    }

    /** The documented refusal, and nothing else: a 400 SwitchboardException with {@code code}. */
    private static void assertBadRequest(Throwable t, String code) {
        assertThat(t).isInstanceOf(SwitchboardException.class);
        SwitchboardException e = (SwitchboardException) t;
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isEqualTo(code);
    }

    // ---- generators: mostly near the grammar (where the bugs are), some anything ----

    @Provide
    Arbitrary<String> epochs() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                .withChars('_', '-').ofMinLength(1).ofMaxLength(16);
    }

    @Provide
    Arbitrary<Position> positionsOrNow() {
        return Arbitraries.oneOf(Arbitraries.just(null),
                epochs().flatMap(e -> Arbitraries.longs().between(0, 999_999_999_999_999_999L).map(o -> new Position(e, o))));
    }

    @Provide
    Arbitrary<String> positionish() {
        Arbitrary<String> near = Arbitraries.strings().withChars("aZ09_-:+ .\u0000é\uD800").withCharRange('0', '9')
                .ofMaxLength(40);
        Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25).map(d -> "ep:" + d);
        return Arbitraries.oneOf(near, digits, Arbitraries.strings().ofMaxLength(40));
    }

    @Provide
    Arbitrary<String> cursorish() {
        Arbitrary<String> slot = Arbitraries.oneOf(Arbitraries.just("-"), positionish(), epochs().map(e -> e + ":1"));
        return Arbitraries.oneOf(slot.list().ofMaxSize(5).map(l -> String.join(",", l)), Arbitraries.strings().ofMaxLength(40));
    }

    @Provide
    Arbitrary<String> nameish() {
        Arbitrary<String> near = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .withChars("_-=@,.;: /\\\u0000\r\n\u00e9\u0130\uFF21").ofMaxLength(200);
        Arbitrary<String> reserved = near.map(s -> "sb:" + s);
        return Arbitraries.oneOf(near, reserved, Arbitraries.strings().ofMaxLength(70));
    }
}
