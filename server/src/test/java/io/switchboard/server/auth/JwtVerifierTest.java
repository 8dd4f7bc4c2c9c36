package io.switchboard.server.auth;

import static io.switchboard.server.auth.TestKeys.SECRET;
import static io.switchboard.server.auth.TestKeys.b64;
import static io.switchboard.server.auth.TestKeys.hs256;
import static io.switchboard.server.auth.TestKeys.jwk;
import static io.switchboard.server.auth.TestKeys.jwks;
import static io.switchboard.server.auth.TestKeys.publicPem;
import static io.switchboard.server.auth.TestKeys.sign;
import static io.switchboard.server.auth.TestKeys.signer;
import static io.switchboard.server.auth.TestKeys.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import io.switchboard.core.auth.Identity;
import io.switchboard.core.auth.TokenVerifier;
import io.switchboard.core.error.SwitchboardException;
import io.switchboard.core.time.Clock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which tokens pass: each algorithm with its keys (secret, PEM, certificate, JWKS by kid), and every wrong key or algorithm refused. */
class JwtVerifierTest {
    static final long NOW = 1_764_000_000_000L;
    static final long EXP = NOW / 1000 + 3600;

    static KeyPair rsa;
    static KeyPair rsa2;
    static KeyPair ec;

    @TempDir
    Path dir;
    final AtomicLong now = new AtomicLong(NOW);
    final Clock clock = now::get;

    @BeforeAll
    static void keys() {
        rsa = TestKeys.rsa(2048);
        rsa2 = TestKeys.rsa(2048);
        ec = TestKeys.ec("secp256r1");
    }

    static String claims() {
        return "{\"sub\":\"user-7\",\"channels\":[\"private-user-7\",\"presence-*\"],\"publish\":\"chat-*\","
                + "\"info\":{ \"name\" : \"Ada\", \"score\": 3.50 },\"exp\":" + EXP + "}";
    }

    static Identity expected() {
        return new Identity("user-7", List.of("private-user-7", "presence-*"), List.of("chat-*"),
                "{\"name\":\"Ada\",\"score\":3.50}".getBytes(StandardCharsets.UTF_8), EXP * 1000);
    }

    TokenVerifier verifier(TokenConfig config) {
        return JwtVerifier.from(config, clock);
    }

    TokenVerifier secretVerifier() {
        return verifier(TokenConfig.NONE.withSecret(SECRET));
    }

    TokenVerifier pemVerifier(KeyPair pair) {
        return verifier(TokenConfig.NONE.withPublicKeyFile(write(dir.resolve("key.pem"), publicPem(pair))));
    }

    TokenVerifier jwksVerifier(String jwks) {
        return verifier(TokenConfig.NONE.withJwksFile(write(dir.resolve("keys.json"), jwks)));
    }

    @Test
    void hs256_with_the_secret_is_accepted_and_its_claims_become_the_identity() {
        assertThat(secretVerifier().verify(hs256(SECRET, claims()))).isEqualTo(expected());
    }

    @Test
    void rs256_with_a_pem_public_key_is_accepted() {
        String token = sign(signer(rsa), JWSAlgorithm.RS256, null, claims());
        assertThat(pemVerifier(rsa).verify(token)).isEqualTo(expected());
    }

    @Test
    void es256_with_a_pem_public_key_is_accepted() {
        String token = sign(signer(ec), JWSAlgorithm.ES256, "any-kid", claims());
        assertThat(pemVerifier(ec).verify(token)).isEqualTo(expected());
    }

    @Test
    void a_certificate_gives_its_public_key() throws Exception {
        CertificateKeys cert = CertificateKeys.generate(dir);
        TokenVerifier v = verifier(TokenConfig.NONE.withPublicKeyFile(cert.pemFile()));
        assertThat(v.verify(sign(signer(cert.pair()), JWSAlgorithm.RS256, null, claims()))).isEqualTo(expected());
        assertRefused(v, sign(signer(rsa), JWSAlgorithm.RS256, null, claims()), "bad_token", "signature");
    }

    @Test
    void jwks_keys_are_chosen_by_kid() {
        TokenVerifier v = jwksVerifier(jwks(jwk(rsa, "r1"), jwk(rsa2, "r2"), jwk(ec, "e1")));
        assertThat(v.verify(sign(signer(rsa), JWSAlgorithm.RS256, "r1", claims()))).isEqualTo(expected());
        assertThat(v.verify(sign(signer(rsa2), JWSAlgorithm.RS256, "r2", claims()))).isEqualTo(expected());
        assertThat(v.verify(sign(signer(ec), JWSAlgorithm.ES256, "e1", claims()))).isEqualTo(expected());
        // The only ES256 key may be used without a kid; with two RS256 keys the token must name one.
        assertThat(v.verify(sign(signer(ec), JWSAlgorithm.ES256, null, claims()))).isEqualTo(expected());
        assertRefused(v, sign(signer(rsa), JWSAlgorithm.RS256, null, claims()), "bad_token", "kid");
        assertRefused(v, sign(signer(rsa), JWSAlgorithm.RS256, "r3", claims()), "bad_token", "kid");
        // Signed by r1 but naming r2: r2 does not verify it.
        assertRefused(v, sign(signer(rsa), JWSAlgorithm.RS256, "r2", claims()), "bad_token", "signature");
        // A kid names a key of its own algorithm only: e1 is no RS256 key.
        assertRefused(v, sign(signer(rsa), JWSAlgorithm.RS256, "e1", claims()), "bad_token", "kid");
    }

    @Test
    void a_secret_and_a_public_key_together_accept_both_algorithms_each_with_its_own_key() {
        Path pem = write(dir.resolve("key.pem"), publicPem(rsa));
        TokenVerifier v = verifier(new TokenConfig(SECRET, pem, null, TokenConfig.DEFAULT_SKEW));
        assertThat(v.verify(hs256(SECRET, claims()))).isEqualTo(expected());
        assertThat(v.verify(sign(signer(rsa), JWSAlgorithm.RS256, null, claims()))).isEqualTo(expected());
        assertRefused(v, sign(TestKeys.hmac(publicPem(rsa)), JWSAlgorithm.HS256, null, claims()), "bad_token", "signature");
    }

    @Test
    void a_wrong_signature_is_refused() {
        String token = sign(signer(rsa), JWSAlgorithm.RS256, null, claims());
        assertRefused(pemVerifier(rsa2), token, "bad_token", "signature");
        // The payload changed after signing: a claim given to oneself.
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + b64(claims().replace("user-7", "admin")) + "." + parts[2];
        assertRefused(pemVerifier(rsa), forged, "bad_token", "signature");
        String ecToken = sign(signer(TestKeys.ec("secp256r1")), JWSAlgorithm.ES256, null, claims());
        assertRefused(pemVerifier(ec), ecToken, "bad_token", "signature");
    }

    @Test
    void a_wrong_secret_is_refused() {
        assertRefused(secretVerifier(), hs256("another-secret-that-is-at-least-32-bytes", claims()), "bad_token", "signature");
    }

    @Test
    void an_empty_or_zero_signature_is_refused() {
        String token = hs256(SECRET, claims());
        String unsigned = token.substring(0, token.lastIndexOf('.') + 1);
        assertRefused(secretVerifier(), unsigned, "bad_token", "signature");
        String ecToken = sign(signer(ec), JWSAlgorithm.ES256, null, claims());
        // r = s = 0: the "psychic signature" that fooled some ECDSA checks (CVE-2022-21449).
        String zeros = ecToken.substring(0, ecToken.lastIndexOf('.') + 1)
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]);
        assertRefused(pemVerifier(ec), zeros, "bad_token", "signature");
    }

    @Test
    void alg_none_is_refused_whatever_the_keys() {
        String payload = b64(claims());
        for (String alg : List.of("none", "None", "NONE")) {
            String header = b64("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}");
            for (String token : List.of(header + "." + payload + ".", header + "." + payload + "." + b64("x"))) {
                assertRefused(secretVerifier(), token, "bad_token", "alg none");
                assertRefused(pemVerifier(rsa), token, "bad_token", "alg none");
                assertRefused(jwksVerifier(jwks(jwk(ec, "e1"))), token, "bad_token", "alg none");
            }
        }
    }

    @Test
    void hs256_signed_with_the_rsa_public_key_is_refused_when_rs256_is_configured() {
        // The classic key confusion: a verifier that let the token pick the algorithm would use the
        // public key's bytes, which everybody has, as the HMAC secret.
        TokenVerifier v = pemVerifier(rsa);
        byte[] pemBytes = publicPem(rsa).getBytes(StandardCharsets.US_ASCII);
        byte[] derBytes = rsa.getPublic().getEncoded();
        for (byte[] secret : List.of(pemBytes, derBytes)) {
            String token = sign(TestKeys.hmac(secret), JWSAlgorithm.HS256, null, claims());
            assertRefused(v, token, "bad_token", "algorithm");
        }
        assertRefused(jwksVerifier(jwks(jwk(rsa, "r1"))),
                sign(TestKeys.hmac(derBytes), JWSAlgorithm.HS256, "r1", claims()), "bad_token", "algorithm");
    }

    @Test
    void only_the_configured_algorithms_are_accepted() {
        assertRefused(secretVerifier(), sign(signer(rsa), JWSAlgorithm.RS256, null, claims()), "bad_token", "algorithm");
        assertRefused(secretVerifier(), sign(TestKeys.hmac(SECRET + SECRET), JWSAlgorithm.HS512, null, claims()),
                "bad_token", "algorithm");
        assertRefused(pemVerifier(rsa), sign(signer(rsa), JWSAlgorithm.RS512, null, claims()), "bad_token", "algorithm");
        assertRefused(pemVerifier(rsa), sign(signer(rsa), JWSAlgorithm.PS256, null, claims()), "bad_token", "algorithm");
        assertRefused(pemVerifier(rsa), sign(signer(ec), JWSAlgorithm.ES256, null, claims()), "bad_token", "algorithm");
        assertRefused(pemVerifier(ec), sign(signer(rsa), JWSAlgorithm.RS256, null, claims()), "bad_token", "algorithm");
        // A header that says RS256 in another spelling is not RS256.
        String token = sign(signer(rsa), JWSAlgorithm.RS256, null, claims());
        String lower = b64("{\"alg\":\"rs256\"}") + token.substring(token.indexOf('.'));
        assertRefused(pemVerifier(rsa), lower, "bad_token", "algorithm");
    }

    @Test
    void keys_in_the_header_are_never_trusted() throws Exception {
        // A token that brings its own key (jwk header) signed by that key: the key is not configured.
        KeyPair attacker = TestKeys.rsa(2048);
        com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(
                new com.nimbusds.jose.JWSHeader.Builder(JWSAlgorithm.RS256).jwk(jwk(attacker, null)).build(),
                new com.nimbusds.jose.Payload(claims()));
        jws.sign(signer(attacker));
        assertRefused(pemVerifier(rsa), jws.serialize(), "bad_token", "signature");
    }

    @Test
    void a_server_without_token_configuration_refuses_every_token() {
        assertThat(JwtVerifier.from(TokenConfig.NONE, clock)).isSameAs(TokenVerifier.NONE);
        assertThat(JwtVerifier.from(TokenConfig.NONE.withSkew(Duration.ofSeconds(1)), clock)).isSameAs(TokenVerifier.NONE);
        assertRefused(TokenVerifier.NONE, hs256(SECRET, claims()), "bad_token", "no token key");
    }

    /** Refused with a 401 and {@code code}; the reason says {@code about} and holds no part of the token. */
    static void assertRefused(TokenVerifier verifier, String token, String code, String about) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.reason()).contains(about);
            assertNoPartOf(token, e.reason());
        });
    }

    static void assertNoPartOf(String token, String reason) {
        if (!token.isEmpty()) assertThat(reason).doesNotContain(token);
        for (String part : token.split("\\.")) {
            if (part.length() >= 6) assertThat(reason).doesNotContain(part);
        }
    }
}
