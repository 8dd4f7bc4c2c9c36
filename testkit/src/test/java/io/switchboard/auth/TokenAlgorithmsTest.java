package io.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.auth.Door.Carrier;
import io.switchboard.auth.Door.Told;
import io.switchboard.server.auth.TokenConfig;
import io.switchboard.testkit.TestServer;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RS256 and ES256 end to end: a node configured with a public key (a PEM file, as an operator writes it
 * with openssl) serves a {@code private-*} channel over SSE and WebSocket to a token signed with the
 * private key, and refuses, with {@code bad_token} / {@code 4401}, an HS256 token (it has no secret), a
 * token of the other asymmetric algorithm and one signed by another key of the same kind.
 */
class TokenAlgorithmsTest {
    /** One asymmetric algorithm: its key pairs, and those of the other one. */
    enum Algorithm {
        RS256(Jwts::rsa2048, Jwts::ecP256),
        ES256(Jwts::ecP256, Jwts::rsa2048);

        final Supplier<KeyPair> keys;
        final Supplier<KeyPair> otherKind;

        Algorithm(Supplier<KeyPair> keys, Supplier<KeyPair> otherKind) {
            this.keys = keys;
            this.otherKind = otherKind;
        }
    }

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void aTokenSignedWithThePrivateKeySubscribesAPrivateChannelOverSseAndWs(Algorithm algorithm) {
        KeyPair pair = algorithm.keys.get();
        try (TestServer server = start(pair)) {
            String token = Jwts.signWith(pair, Jwts.privateReader("ann"));
            assertThat(token).startsWith(Jwts.b64("{\"alg\":\"" + algorithm + "\"}"));

            for (Door door : List.of(Door.SSE, Door.WS)) {
                String channel = "private-x-" + algorithm.name().toLowerCase() + "-" + door.metric();
                JsonNode message = door.receive(server, channel, Carrier.QUERY, token);
                assertThat(message.path("channel").asText()).as(door.toString()).isEqualTo(channel);
                assertThat(message.at("/data/door").asText()).isEqualTo(door.metric());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Algorithm.class)
    void hs256AndTokensOfOtherKeysAreRefusedThere(Algorithm algorithm) {
        KeyPair pair = algorithm.keys.get();
        try (TestServer server = start(pair)) {
            List<String> refused = List.of(
                    // The test servers' usual token: this node has no HS256 secret.
                    TestServer.token("ann", List.of("private-*"), List.of()),
                    Jwts.signWith(algorithm.otherKind.get(), Jwts.privateReader("ann")),
                    Jwts.signWith(algorithm.keys.get(), Jwts.privateReader("ann")));
            for (String token : refused) {
                Told sse = Door.SSE.refuseToken(server, "private-x", Carrier.QUERY, token);
                assertThat(sse.status()).as("SSE, told %s", sse.text()).isEqualTo(401);
                assertThat(sse.error()).isEqualTo("bad_token");
                assertThat(sse.text()).doesNotContain(token);

                Told ws = Door.WS.refuseToken(server, "private-x", Carrier.QUERY, token);
                assertThat(ws.status()).as("WS, told %s", ws.text()).isEqualTo(4401);
                assertThat(ws.text()).doesNotContain(token);
            }
            assertThat(server.server().metrics().errorCount("sse", 401)).isEqualTo(refused.size());
            assertThat(server.server().metrics().errorCount("ws", 4401)).isEqualTo(refused.size());

            // And the key it has still works after all that.
            JsonNode message = Door.SSE.receive(server, "private-after", Carrier.QUERY, Jwts.signWith(pair, Jwts.privateReader("ann")));
            assertThat(message.path("channel").asText()).isEqualTo("private-after");
        }
    }

    /** A node that verifies tokens with {@code pair}'s public key only. */
    private TestServer start(KeyPair pair) {
        Path pem = Jwts.writePublicPem(dir.resolve("public.pem"), pair);
        return TestServer.start(c -> c.withTokens(TokenConfig.NONE.withPublicKeyFile(pem)));
    }
}
