package io.switchboard.core.auth;

/**
 * A channel glob from a token's {@code channels}/{@code publish} claims or a namespace: {@code *} matches
 * any run of characters (none included), everything else matches itself. {@code private-team-*} matches
 * {@code private-team-7}; {@code *} matches every channel.
 */
public final class ChannelPattern {
    private ChannelPattern() {}

    /** True when {@code pattern} matches the whole of {@code channel}. */
    public static boolean matches(String pattern, String channel) {
        int p = 0;
        int c = 0;
        int star = -1;   // position in the pattern just after the last '*'
        int resume = 0;  // where in the channel that '*' would absorb one more character
        while (c < channel.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = ++p;
                resume = c;
            } else if (p < pattern.length() && pattern.charAt(p) == channel.charAt(c)) {
                p++;
                c++;
            } else if (star >= 0) {
                p = star;
                c = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') p++;
        return p == pattern.length();
    }

    /** True when any of {@code patterns} matches {@code channel}. */
    public static boolean anyMatches(Iterable<String> patterns, String channel) {
        for (String pattern : patterns) {
            if (matches(pattern, channel)) return true;
        }
        return false;
    }
}
