package io.switchboard.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.core.error.SwitchboardException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
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

    /**
     * The one-pass parser reads every URI as Netty's decoder with our settings does (it replaced it): the
     * same path, names, values and order, and a 400 exactly where Netty throws. Random URIs over the
     * characters that matter to the grammar, plus hand-picked edge cases.
     */
    @Test
    void readsEveryUriAsNettysDecoderDoes() {
        List<String> uris = new ArrayList<>(List.of("/p", "/p?", "/p?&", "/p?&&a", "/p?=", "/p?=x", "/p?a", "/p?a=",
                "/p?a==b", "/p?a=b=c", "/p?a&a=1&a", "/p#x?a=1", "/p?a=1#b=2", "/p?#", "/p?a=%", "/p?a=%2", "/p?a%3Db=c",
                "/p?a+b=c+d", "/p%20q?x=1", "/p+q?x=1", "/p%zz?x=1", "?a=1", "", "/p?;a=1;b", "/p?a=%E2%82%AC&b=%FF"));
        Random random = new Random(5);
        String alphabet = "ab=&%+#;?2F";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder("/p");
            int len = random.nextInt(14);
            for (int i = 0; i < len; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            uris.add(sb.toString());
        }
        StringBuilder many = new StringBuilder("/p?");
        for (int i = 0; i < 1100; i++) many.append("k").append(i % 7).append('=').append(i).append('&');
        uris.add(many.toString());
        for (String uri : uris) {
            String expected;
            try {
                QueryStringDecoder d = new QueryStringDecoder(uri, StandardCharsets.UTF_8, true, 1024, true);
                expected = d.path() + " " + d.parameters();
            } catch (IllegalArgumentException e) {
                expected = "400";
            }
            String actual;
            try {
                QueryParams q = QueryParams.parse(uri);
                Map<String, List<String>> params = new LinkedHashMap<>();
                for (int i = 0; i < q.size(); i++) params.computeIfAbsent(q.name(i), k -> new ArrayList<>()).add(q.value(i));
                for (String name : params.keySet()) assertThat(q.all(name)).as(uri).isEqualTo(params.get(name));
                actual = q.path() + " " + params;
            } catch (SwitchboardException e) {
                actual = String.valueOf(e.status());
            }
            assertThat(actual).as(uri).isEqualTo(expected);
        }
    }
}
