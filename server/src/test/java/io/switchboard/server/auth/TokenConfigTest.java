package io.switchboard.server.auth;

import static io.switchboard.server.auth.TestKeys.SECRET;
import static io.switchboard.server.auth.TestKeys.jwk;
import static io.switchboard.server.auth.TestKeys.jwks;
import static io.switchboard.server.auth.TestKeys.pem;
import static io.switchboard.server.auth.TestKeys.publicPem;
import static io.switchboard.server.auth.TestKeys.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import io.switchboard.core.time.Clock;
import io.switchboard.server.ServerConfig;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A token configuration that cannot work is refused at start with one line naming the file, and never shows the secret. */
class TokenConfigTest {
    static KeyPair rsa;
    static KeyPair ec;

    @TempDir
    Path dir;

    @BeforeAll
    static void keys() {
        rsa = TestKeys.rsa(2048);
        ec = TestKeys.ec("secp256r1");
    }

    @Test
    void a_short_secret_is_refused_without_repeating_it() {
        String shortSecret = "only-31-bytes-long-secret-12345";
        assertThatThrownBy(() -> TokenConfig.NONE.withSecret(shortSecret))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the token secret must be at least 32 bytes")
                .message().doesNotContain(shortSecret);
        assertThat(TokenConfig.NONE.withSecret(shortSecret + "6").configured()).isTrue();
        // Bytes, not characters: 16 two-byte characters are 32 bytes.
        assertThat(TokenConfig.NONE.withSecret("é".repeat(16)).secret()).hasSize(16);
    }

    @Test
    void a_public_key_file_and_a_jwks_file_exclude_each_other() {
        assertThatThrownBy(() -> new TokenConfig(null, dir.resolve("a.pem"), dir.resolve("b.json"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
    }

    @Test
    void the_skew_is_0_to_5_minutes() {
        assertThat(TokenConfig.NONE.skew()).isEqualTo(Duration.ofSeconds(10));
        assertThat(TokenConfig.NONE.withSkew(Duration.ZERO).skew()).isZero();
        assertThat(TokenConfig.NONE.withSkew(Duration.ofMinutes(5)).skew()).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> TokenConfig.NONE.withSkew(Duration.ofMillis(-1))).hasMessageContaining("0 to 5 minutes");
        assertThatThrownBy(() -> TokenConfig.NONE.withSkew(Duration.ofMinutes(5).plusMillis(1))).hasMessageContaining("0 to 5 minutes");
    }

    @Test
    void the_secret_is_never_printed() {
        TokenConfig tokens = TokenConfig.NONE.withSecret(SECRET);
        assertThat(tokens.toString()).doesNotContain(SECRET).contains("secret=(set)");
        assertThat(ServerConfig.defaults("key").withTokens(tokens).toString()).doesNotContain(SECRET).contains("tokens=TokenConfig[");
        assertThat(JwtVerifier.from(tokens, Clock.system()).toString()).doesNotContain(SECRET).contains("HS256");
        assertThat(ServerConfig.defaults("key").tokens()).isSameAs(TokenConfig.NONE);
    }

    @Test
    void a_missing_or_unreadable_key_file_is_named() {
        Path missing = dir.resolve("missing.pem");
        assertError(TokenConfig.NONE.withPublicKeyFile(missing), "token public key file " + missing + ": no such file");
        assertError(TokenConfig.NONE.withJwksFile(missing), "token JWKS file " + missing + ": no such file");
        assertError(TokenConfig.NONE.withPublicKeyFile(dir), "token public key file " + dir + ": cannot be read (it is a directory)");
    }

    @Test
    void a_pem_file_must_hold_a_usable_public_key() {
        assertPemError("just text\n", "is not a PEM file (expected -----BEGIN PUBLIC KEY----- or -----BEGIN CERTIFICATE-----)");
        assertPemError(pem("PUBLIC KEY", new byte[] {1, 2, 3}), "has a PUBLIC KEY that is neither an RSA nor an EC key");
        assertPemError(pem("CERTIFICATE", rsa.getPublic().getEncoded()), "has a CERTIFICATE that cannot be read");
        assertPemError("-----BEGIN PUBLIC KEY-----\nAAA*\n-----END PUBLIC KEY-----\n", "is not a PEM file");
        assertPemError(pem("RSA PUBLIC KEY", new byte[] {1}), "has no PUBLIC KEY or CERTIFICATE block");
        assertPemError(pem("PRIVATE KEY", rsa.getPrivate().getEncoded()), "holds a private key; give the public key instead");
        // Even next to the public key: the private one should not be on this machine.
        assertPemError(publicPem(rsa) + pem("PRIVATE KEY", rsa.getPrivate().getEncoded()), "holds a private key");
        assertPemError(publicPem(TestKeys.rsa(1024)), ": the RSA key has 1024 bits; at least 2048 are needed");
        assertPemError(publicPem(TestKeys.ec("secp384r1")), ": the EC key is not on curve P-256 (ES256)");
    }

    @Test
    void a_jwks_file_must_hold_a_public_signing_key() throws Exception {
        assertJwksError("{\"keys\": 5}", " is not a JWKS (a JSON object with a \"keys\" array of JWKs)");
        assertJwksError("not json", " is not a JWKS");
        assertJwksError("{\"keys\":[]}", " has no RS256 or ES256 signing key");
        RSAKey encryption = new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID("enc").keyUse(KeyUse.ENCRYPTION).build();
        RSAKey rs512 = new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID("512").algorithm(new Algorithm("RS512")).build();
        assertJwksError(jwks(encryption, rs512, jwk(TestKeys.ec("secp384r1"), "p384")), " has no RS256 or ES256 signing key");
        // Beside a signing key, the others are skipped: identity providers publish such sets.
        assertThat(JwtVerifier.from(jwksConfig(jwks(encryption, rs512, jwk(ec, "e1"))), Clock.system()).toString()).contains("[ES256]");

        RSAKey privateKey = new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).privateKey((RSAPrivateCrtKey) rsa.getPrivate())
                .keyID("p").build();
        assertJwksError("{\"keys\":[" + privateKey.toJSONString() + "]}", " holds a private key (kid p); publish only public keys");
        OctetSequenceKey oct = new OctetSequenceKey.Builder(SECRET.getBytes()).keyID("s").build();
        assertJwksError("{\"keys\":[" + oct.toJSONString() + "]}", " holds a symmetric key (kid s); HS256 takes the token secret setting instead");
        assertJwksError(jwks(jwk(rsa, "same"), jwk(TestKeys.rsa(2048), "same")), " has two RS256 keys with kid same");
        assertJwksError(jwks(jwk(TestKeys.rsa(1024), "small")), ": the RSA key (kid small) has 1024 bits; at least 2048 are needed");
    }

    private TokenConfig jwksConfig(String jwks) {
        return TokenConfig.NONE.withJwksFile(write(dir.resolve("keys.json"), jwks));
    }

    private void assertPemError(String pem, String problem) {
        Path file = write(dir.resolve("key.pem"), pem);
        assertError(TokenConfig.NONE.withPublicKeyFile(file), "token public key file " + file + (problem.startsWith(":") ? "" : " ") + problem);
    }

    private void assertJwksError(String jwks, String problem) {
        TokenConfig config = jwksConfig(jwks);
        assertError(config, "token JWKS file " + config.jwksFile() + problem);
    }

    private static void assertError(TokenConfig config, String messageStart) {
        assertThatThrownBy(() -> JwtVerifier.from(config, Clock.system()))
                .isInstanceOf(IllegalArgumentException.class)
                .message().startsWith(messageStart).doesNotContain("\n");
    }
}
