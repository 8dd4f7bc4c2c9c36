package io.switchboard.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.switchboard.core.error.SwitchboardException;
import io.switchboard.server.http.CallbackName;
import io.switchboard.server.http.QueryParams;
import io.switchboard.server.session.Sessions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes what the HTTP doors read from a URL (issue #9): the query string ({@link QueryParams}), JSONP and
 * iframe callbacks ({@link CallbackName}) and session ids. Oracles are written from PROTOCOL.md; anything
 * refused is a 400 {@link SwitchboardException}, never another exception.
 */
class HttpParamsFuzzTest {
    private static final Pattern CALLBACK = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");

    @Property
    void callbacksFollowTheGrammar(@ForAll("callbackish") String name) {
        Throwable t = catchThrowable(() -> CallbackName.check(name));
        if (name.length() <= CallbackName.MAX_LENGTH && CALLBACK.matcher(name).matches()) {
            assertThat(t).isNull();
        } else {
            assertBadRequest(t, Set.of("bad_callback"));
            // The refusal never repeats what it refused: that is where reflected script injection hides.
            if (name.length() > 3) assertThat(((SwitchboardException) t).reason()).doesNotContain(name);
        }
    }

    @Property
    void anyUriParsesOrIsBadQuery(@ForAll("uriish") String uri) {
        QueryParams q;
        try {
            q = QueryParams.parse(uri);
        } catch (Throwable t) {
            assertBadRequest(t, Set.of("bad_query"));
            return;
        }
        for (String name : List.of("channel", "since", "wait", "limit", "callback", "x")) {
            assertThat(q.all(name)).isNotNull();
            for (Runnable read : List.<Runnable>of(() -> q.one(name), () -> q.intParam(name, 0, 60), () -> q.position(name))) {
                Throwable t = catchThrowable(read::run);
                if (t != null) assertBadRequest(t, Set.of("bad_query", "bad_position", "bad_" + name)); // intParam names its code after the parameter
            }
        }
    }

    /** What a client encodes comes back unchanged, in order — {@code ;} included, which is no separator. */
    @Property
    void encodedParametersRoundTrip(@ForAll("params") Map<String, List<String>> params) {
        String query = params.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
                .collect(Collectors.joining("&"));
        QueryParams q = QueryParams.parse("/poll?" + query);
        params.forEach((name, values) -> assertThat(q.all(name)).isEqualTo(values));
    }

    @Property
    void sessionIdsAreUrlSafeBase64AndShort(@ForAll("sessionish") String id) {
        Throwable t = catchThrowable(() -> Sessions.checkId(id));
        if (id.length() <= 64 && id.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_')) {
            assertThat(t).isNull();
        } else {
            assertBadRequest(t, Set.of("bad_session"));
        }
    }

    private static void assertBadRequest(Throwable t, Set<String> codes) {
        assertThat(t).isInstanceOf(SwitchboardException.class);
        SwitchboardException e = (SwitchboardException) t;
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.code()).isIn(codes);
    }

    /** Encodes like a browser's URLSearchParams, but leaves {@code ;} raw, as hand-written URLs do. */
    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%3B", ";");
    }

    // ---- generators ----

    @Provide
    Arbitrary<String> callbackish() {
        Arbitrary<String> near = Arbitraries.strings().withCharRange('a', 'c').withCharRange('0', '2')
                .withChars("._$()<>;/!-\"' \u00f1\u0000\r\n").ofMaxLength(80);
        return Arbitraries.oneOf(near, Arbitraries.strings().ofMaxLength(70));
    }

    @Provide
    Arbitrary<String> uriish() {
        Arbitrary<String> query = Arbitraries.strings().withCharRange('a', 'c').withCharRange('0', '9')
                .withChars("%&=;+?#/ -:,\u00e9\u0000").ofMaxLength(60);
        Arbitrary<String> names = Arbitraries.of("channel", "since", "wait", "limit", "callback", "x");
        Arbitrary<String> pair = Arbitraries.oneOf(query, names.flatMap(n -> query.map(v -> n + "=" + v)));
        return Arbitraries.oneOf(pair.list().ofMaxSize(6).map(l -> "/poll?" + String.join("&", l)),
                Arbitraries.strings().ofMaxLength(60));
    }

    @Provide
    Arbitrary<Map<String, List<String>>> params() {
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars("é€").ofMaxLength(12);
        return Arbitraries.maps(text.filter(s -> !s.isEmpty()), text.list().ofMinSize(1).ofMaxSize(3)).ofMaxSize(5);
    }

    @Provide
    Arbitrary<String> sessionish() {
        return Arbitraries.oneOf(Arbitraries.strings().withCharRange('A', 'Z').withCharRange('a', 'z').withCharRange('0', '9')
                .withChars("-_/.%+=").ofMaxLength(80), Arbitraries.strings().ofMaxLength(70));
    }
}
