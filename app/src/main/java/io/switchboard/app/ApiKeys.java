package io.switchboard.app;

import java.security.SecureRandom;
import java.util.Base64;

/** Makes a server API key when none is configured: 32 random bytes, URL-safe Base64 (43 characters). */
final class ApiKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {}

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
