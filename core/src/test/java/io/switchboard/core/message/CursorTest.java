package io.switchboard.core.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.error.SwitchboardException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CursorTest {

    @Test
    void parsesOnePositionPerChannelInOrder() {
        Cursor c = Cursor.parse("q7Zc:42,q7Zc:17,Ab_-9:0", 3);
        assertThat(c.size()).isEqualTo(3);
        assertThat(c.get(0)).isEqualTo(new Position("q7Zc", 42));
        assertThat(c.get(1)).isEqualTo(new Position("q7Zc", 17));
        assertThat(c.get(2)).isEqualTo(new Position("Ab_-9", 0));
    }

    @Test
    void aDashSlotIsFromNow() {
        Cursor c = Cursor.parse("-,q7Zc:3,-", 3);
        assertThat(c.get(0)).isNull();
        assertThat(c.get(1)).isEqualTo(new Position("q7Zc", 3));
        assertThat(c.get(2)).isNull();
    }

    @Test
    void emptyOrMissingTextIsFromNowForEveryChannel() {
        for (String text : new String[] {null, ""}) {
            Cursor c = Cursor.parse(text, 2);
            assertThat(c.size()).isEqualTo(2);
            assertThat(c.get(0)).isNull();
            assertThat(c.get(1)).isNull();
            assertThat(c.toString()).isEqualTo("-,-");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "q7Zc:1|2", "q7Zc:1,q7Zc:2|1", "q7Zc:1,q7Zc:2,q7Zc:3|2", "-|2", "-,-|1", "q7Zc:1|0",
            "q7Zc:1,|2", ",q7Zc:1|2", "q7Zc:1,,-|3", "q7Zc:1;q7Zc:2|2", "q7Zc:1, q7Zc:2|2",
            "q7Zc|1", "q7Zc:-1|1", ":1|1", "--|1", "q7Zc:1x|1", "abcdefghijklmnopq:1|1", "a!:1|1"})
    void wrongSlotCountsAndMalformedSlotsAreBadCursor(String text, int channels) {
        assertThatThrownBy(() -> Cursor.parse(text, channels)).isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("bad_cursor");
            assertThat(e.reason()).isNotBlank();
        });
    }

    @Test
    void toStringRoundTrips() {
        for (String text : new String[] {"q7Zc:42", "q7Zc:42,q7Zc:17", "-,a:0,-", "-"}) {
            int slots = text.split(",").length;
            Cursor c = Cursor.parse(text, slots);
            assertThat(c.toString()).isEqualTo(text);
            assertThat(Cursor.parse(c.toString(), slots).toString()).isEqualTo(text);
        }
    }

    @Test
    void slotsCanBeMovedOnAndResetToFromNow() {
        Cursor c = Cursor.fromNow(3);
        assertThat(c.toString()).isEqualTo("-,-,-");
        c.set(1, new Position("e", 5));
        assertThat(c.toString()).isEqualTo("-,e:5,-");
        c.set(1, new Position("e", 6));
        c.set(0, new Position("f", 1));
        assertThat(c.toString()).isEqualTo("f:1,e:6,-");
        c.set(0, null);
        assertThat(c.toString()).isEqualTo("-,e:6,-");
    }
}
