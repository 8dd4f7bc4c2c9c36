package io.switchboard.core.auth;

import io.switchboard.core.error.SwitchboardException;

/**
 * Turns a client's token into an {@link Identity}. Implementations check the signature, the algorithm
 * and the validity window; they never log the token.
 */
public interface TokenVerifier {
    /**
     * The identity {@code token} proves. Throws a 401 {@link SwitchboardException} whose code says why:
     * {@code bad_token} (malformed, wrong signature, wrong or {@code none} algorithm, bad claims),
     * {@code token_expired} ({@code exp} passed) or {@code token_not_yet_valid} ({@code nbf} ahead).
     * The reason never contains the token.
     */
    Identity verify(String token);

    /** A verifier for a server with no token configuration: every token is refused as {@code bad_token}. */
    TokenVerifier NONE = token -> {
        throw new SwitchboardException(401, "bad_token", "this server has no token key configured");
    };
}
