package io.switchboard.server.auth;

import static io.switchboard.server.auth.JwtVerifierTest.assertRefused;
import static io.switchboard.server.auth.TestKeys.SECRET;
import static io.switchboard.server.auth.TestKeys.b64;
import static io.switchboard.server.auth.TestKeys.hs256;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.auth.Identity;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.time.Clock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Claims and the validity window of tokens that are correctly signed: their types, exp/nbf with skew on a moved clock, malformed tokens. */
class TokenClaimsTest {
    static final long NOW = 1_764_000_000_000L;
    static final long NOW_S = NOW / 1000;

    final AtomicLong now = new AtomicLong(NOW);
    final Clock clock = now::get;
    final TokenVerifier verifier = JwtVerifier.from(TokenConfig.NONE.withSecret(SECRET), clock);

    Identity verify(String claims) {
        return verifier.verify(hs256(SECRET, claims));
    }

    @Test
    void a_single_string_is_a_list_of_one() {
        Identity id = verify("{\"sub\":\"u\",\"channels\":\"private-u\",\"publish\":\"chat\"}");
        assertThat(id.channels()).containsExactly("private-u");
        assertThat(id.publish()).containsExactly("chat");
    }

    @Test
    void every_claim_is_optional_and_a_token_without_exp_never_expires() {
        Identity id = verify("{}");
        assertThat(id).isEqualTo(new Identity(null, List.of(), List.of(), null, 0));
        assertThat(id.anonymous()).as("a token, even an empty one, is not 'no token'").isFalse();
        now.set(NOW + Duration.ofDays(365 * 100).toMillis());
        assertThat(verify("{\"sub\":\"u\"}").expiresAt()).isZero();
        assertThat(verify("{\"sub\":\"u\"}").expired(now.get())).isFalse();
    }

    @Test
    void other_claims_are_ignored() {
        assertThat(verify("{\"sub\":\"u\",\"iat\":\"whenever\",\"iss\":5,\"aud\":[\"x\"],\"jti\":{}}").user()).isEqualTo("u");
    }

    @Test
    void info_is_any_json_kept_compact_and_exact() {
        assertThat(info("{\"info\": { \"a\" : [1, 2.50, \"x\"], \"b\": null }}")).isEqualTo("{\"a\":[1,2.50,\"x\"],\"b\":null}");
        assertThat(info("{\"info\":\"Ada\"}")).isEqualTo("\"Ada\"");
        assertThat(info("{\"info\":42}")).isEqualTo("42");
        assertThat(info("{\"info\":[]}")).isEqualTo("[]");
        assertThat(verify("{\"info\":null}").info()).isNull();
    }

    private String info(String claims) {
        return new String(verify(claims).info(), StandardCharsets.UTF_8);
    }

    @Test
    void exp_becomes_expires_at_in_milliseconds() {
        assertThat(verify("{\"exp\":" + (NOW_S + 60) + "}").expiresAt()).isEqualTo(NOW + 60_000);
        assertThat(verify("{\"exp\":" + (NOW_S + 60) + ".25}").expiresAt()).isEqualTo(NOW + 60_250);
        assertThat(verify("{\"exp\":1e400}").expiresAt()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void an_expired_token_is_refused_as_token_expired() {
        assertRefused(verifier, hs256(SECRET, "{\"exp\":" + (NOW_S - 11) + "}"), "token_expired", "expired");
        assertRefused(verifier, hs256(SECRET, "{\"exp\":" + (NOW_S - 10) + "}"), "token_expired", "expired");
        assertRefused(verifier, hs256(SECRET, "{\"exp\":0}"), "token_expired", "expired");
    }

    @Test
    void a_token_expired_within_the_skew_is_accepted() {
        String token = hs256(SECRET, "{\"sub\":\"u\",\"exp\":" + (NOW_S - 5) + "}");
        assertThat(verifier.verify(token).user()).isEqualTo("u");
        now.addAndGet(4_999);
        assertThat(verifier.verify(token).user()).isEqualTo("u");
        now.addAndGet(1);
        assertRefused(verifier, token, "token_expired", "expired");
    }

    @Test
    void the_same_token_expires_when_the_clock_moves_past_exp() {
        String token = hs256(SECRET, "{\"sub\":\"u\",\"exp\":" + (NOW_S + 60) + "}");
        assertThat(verifier.verify(token).user()).isEqualTo("u");
        now.addAndGet(69_999);
        assertThat(verifier.verify(token).user()).isEqualTo("u");
        now.addAndGet(1);
        assertRefused(verifier, token, "token_expired", "expired");
    }

    @Test
    void the_skew_is_configurable() {
        TokenVerifier strict = JwtVerifier.from(TokenConfig.NONE.withSecret(SECRET).withSkew(Duration.ZERO), clock);
        assertRefused(strict, hs256(SECRET, "{\"exp\":" + NOW_S + "}"), "token_expired", "expired");
        assertThat(strict.verify(hs256(SECRET, "{\"exp\":" + (NOW_S + 1) + "}")).expiresAt()).isEqualTo(NOW + 1000);
        assertRefused(strict, hs256(SECRET, "{\"nbf\":" + (NOW_S + 1) + "}"), "token_not_yet_valid", "not valid yet");

        TokenVerifier lenient = JwtVerifier.from(TokenConfig.NONE.withSecret(SECRET).withSkew(Duration.ofMinutes(1)), clock);
        assertThat(lenient.verify(hs256(SECRET, "{\"sub\":\"u\",\"exp\":" + (NOW_S - 59) + "}")).user()).isEqualTo("u");
        assertThat(lenient.verify(hs256(SECRET, "{\"sub\":\"u\",\"nbf\":" + (NOW_S + 59) + "}")).user()).isEqualTo("u");
    }

    @Test
    void a_token_before_its_nbf_is_refused_as_token_not_yet_valid_until_the_clock_gets_there() {
        String token = hs256(SECRET, "{\"sub\":\"u\",\"nbf\":" + (NOW_S + 60) + "}");
        assertRefused(verifier, token, "token_not_yet_valid", "not valid yet");
        now.addAndGet(49_999);
        assertRefused(verifier, token, "token_not_yet_valid", "not valid yet");
        now.addAndGet(1);
        assertThat(verifier.verify(token).user()).isEqualTo("u");
    }

    @Test
    void a_token_whose_nbf_is_within_the_skew_is_accepted() {
        assertThat(verify("{\"sub\":\"u\",\"nbf\":" + (NOW_S + 10) + "}").user()).isEqualTo("u");
        assertThat(verify("{\"sub\":\"u\",\"nbf\":" + (NOW_S - 3600) + "}").user()).isEqualTo("u");
    }

    static Stream<Arguments> claimsOfTheWrongType() {
        return Stream.of(
                Arguments.of("{\"sub\":5}", "sub"),
                Arguments.of("{\"sub\":\"\"}", "sub"),
                Arguments.of("{\"sub\":null}", "sub"),
                Arguments.of("{\"sub\":[\"u\"]}", "sub"),
                Arguments.of("{\"channels\":5}", "channels"),
                Arguments.of("{\"channels\":[1]}", "channels"),
                Arguments.of("{\"channels\":[\"a\",null]}", "channels"),
                Arguments.of("{\"channels\":[\"\"]}", "channels"),
                Arguments.of("{\"channels\":{\"a\":1}}", "channels"),
                Arguments.of("{\"channels\":null}", "channels"),
                Arguments.of("{\"publish\":true}", "publish"),
                Arguments.of("{\"publish\":[[\"a\"]]}", "publish"),
                Arguments.of("{\"exp\":\"2030-01-01\"}", "exp"),
                Arguments.of("{\"exp\":null}", "exp"),
                Arguments.of("{\"exp\":-1}", "exp"),
                Arguments.of("{\"nbf\":true}", "nbf"),
                Arguments.of("{\"nbf\":[1]}", "nbf"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("claimsOfTheWrongType")
    void a_claim_of_the_wrong_type_is_a_bad_token(String claims, String claim) {
        assertRefused(verifier, hs256(SECRET, claims), "bad_token", "the token's " + claim + " claim must be");
    }

    static Stream<Arguments> malformed() {
        String good = hs256(SECRET, "{\"sub\":\"u\"}");
        String[] p = good.split("\\.");
        String header = p[0];
        return Stream.of(
                Arguments.of("", "empty"),
                Arguments.of("not-a-jwt", "three"),
                Arguments.of(p[0] + "." + p[1], "three"),
                Arguments.of(good + ".extra", "three"),
                Arguments.of(good + ".", "three"),
                Arguments.of("..", "header"),
                Arguments.of("!!!." + p[1] + "." + p[2], "base64url"),
                Arguments.of(p[0] + ".e30=." + p[2], "base64url"), // padding is not base64url of JWS
                Arguments.of(p[0] + " ." + p[1] + "." + p[2], "base64url"),
                Arguments.of("A." + p[1] + "." + p[2], "base64url"), // one character is no whole byte
                Arguments.of(p[0] + "." + p[1] + ".+/+/", "base64url"),
                Arguments.of(b64("not json") + "." + p[1] + "." + p[2], "header is not JSON"),
                Arguments.of(b64("{\"alg\":\"HS256\",\"alg\":\"HS256\"}") + "." + p[1] + "." + p[2], "header is not JSON"),
                Arguments.of(b64("[\"HS256\"]") + "." + p[1] + "." + p[2], "alg"),
                Arguments.of(b64("{\"typ\":\"JWT\"}") + "." + p[1] + "." + p[2], "alg"),
                Arguments.of(b64("{\"alg\":256}") + "." + p[1] + "." + p[2], "alg"),
                Arguments.of(header + "." + b64("not json") + "." + p[2], "signature"), // the signature is checked first
                Arguments.of("x".repeat(JwtVerifier.MAX_TOKEN_CHARS + 1), "longer"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("malformed")
    void a_malformed_token_is_a_bad_token(String token, String about) {
        assertRefused(verifier, token, "bad_token", about);
    }

    @Test
    void correctly_signed_claims_that_are_not_a_json_object_are_a_bad_token() {
        assertRefused(verifier, hs256(SECRET, "not json"), "bad_token", "claims are not JSON");
        assertRefused(verifier, hs256(SECRET, "{\"sub\":\"a\",\"sub\":\"b\"}"), "bad_token", "claims are not JSON");
        assertRefused(verifier, hs256(SECRET, "{\"sub\":\"a\"} {}"), "bad_token", "claims are not JSON");
        assertRefused(verifier, hs256(SECRET, ""), "bad_token", "claims are not JSON");
        assertRefused(verifier, hs256(SECRET, "[{\"sub\":\"a\"}]"), "bad_token", "not a JSON object");
        assertRefused(verifier, hs256(SECRET, "\"sub\""), "bad_token", "not a JSON object");
    }
}
