package io.switchboard.core.auth;

import java.util.List;
import java.util.Objects;

/**
 * Who a session is, as its token says (PROTOCOL.md "Tokens and permissions"): the user, the channel
 * patterns it may subscribe to beyond public ones, the patterns it may publish to, the JSON shown to
 * presence, and when the token stops being valid. A session without a token is {@link #ANONYMOUS}.
 *
 * @param user      the {@code sub} claim; null for anonymous sessions and tokens without one
 * @param channels  glob patterns ({@code *} matches any run of characters) of restricted channels it may read
 * @param publish   glob patterns of channels it may publish to
 * @param info      the {@code info} claim as compact JSON bytes; null when absent
 * @param expiresAt the {@code exp} claim in epoch milliseconds; 0 when the token never expires
 */
public record Identity(String user, List<String> channels, List<String> publish, byte[] info, long expiresAt) {
    /** No token at all. */
    public static final Identity ANONYMOUS = new Identity(null, List.of(), List.of(), null, 0);

    public Identity {
        channels = List.copyOf(channels);
        publish = List.copyOf(publish);
    }

    /** True for the session that gave no token. */
    public boolean anonymous() {
        return this == ANONYMOUS;
    }

    /** True when the token has expired at {@code nowMillis}. */
    public boolean expired(long nowMillis) {
        return expiresAt > 0 && nowMillis >= expiresAt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Identity i && Objects.equals(user, i.user) && channels.equals(i.channels)
                && publish.equals(i.publish) && java.util.Arrays.equals(info, i.info) && expiresAt == i.expiresAt;
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, channels, publish, java.util.Arrays.hashCode(info), expiresAt);
    }

    @Override
    public String toString() {
        // Never the token; the user id is what logs may name.
        return anonymous() ? "Identity[anonymous]" : "Identity[user=" + user + "]";
    }
}
