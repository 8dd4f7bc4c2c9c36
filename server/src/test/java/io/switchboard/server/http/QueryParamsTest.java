package io.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.error.SwitchboardException;
import org.junit.jupiter.api.Test;

class QueryParamsTest {

    @Test
    void readsRepeatedAndSingleParameters() {
        QueryParams q = QueryParams.parse("/sse?channel=a&channel=b%3Ac&since=&limit=5");
        assertThat(q.path()).isEqualTo("/sse");
        assertThat(q.all("channel")).containsExactly("a", "b:c");
        assertThat(q.one("since")).isEmpty();
        assertThat(q.intParam("limit", 1, 10)).isEqualTo(5);
        assertThat(q.one("missing")).isNull();
        assertThat(q.intParam("missing", 1, 10)).isNull();
    }

    @Test
    void refusesParametersGivenTwiceWhereOneIsExpected() {
        assertThatThrownBy(() -> QueryParams.parse("/h?since=a:1&since=a:2").one("since"))
                .isInstanceOf(SwitchboardException.class)
                .satisfies(e -> assertThat(((SwitchboardException) e).code()).isEqualTo("bad_query"));
    }

    @Test
    void refusesIntegersOutOfRangeOrMalformed() {
        for (String v : new String[] {"0", "11", "-1", "x", "1.5", "99999999999"}) {
            assertThatThrownBy(() -> QueryParams.parse("/h?limit=" + v).intParam("limit", 1, 10))
                    .as(v).isInstanceOf(SwitchboardException.class)
                    .satisfies(e -> assertThat(((SwitchboardException) e).status()).isEqualTo(400));
        }
    }

    @Test
    void refusesBrokenEscapes() {
        assertThatThrownBy(() -> QueryParams.parse("/h?channel=%zz"))
                .isInstanceOf(SwitchboardException.class)
                .satisfies(e -> assertThat(((SwitchboardException) e).code()).isEqualTo("bad_query"));
    }

    @Test
    void readsAnOptionalPosition() {
        for (String none : new String[] {"/h", "/h?since=", "/h?since=-"}) {
            assertThat(QueryParams.parse(none).position("since")).as(none).isNull();
        }
        assertThat(QueryParams.parse("/h?since=q7Zc:42").position("since")).hasToString("q7Zc:42");
        for (String bad : new String[] {"nope", "q7Zc:", ":1", "q7Zc:-1", "a:1,a:2"}) {
            assertThatThrownBy(() -> QueryParams.parse("/h?since=" + bad).position("since"))
                    .as(bad).isInstanceOf(SwitchboardException.class)
                    .satisfies(e -> assertThat(((SwitchboardException) e).code()).isEqualTo("bad_position"));
        }
    }
}
