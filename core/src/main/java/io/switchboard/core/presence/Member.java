package io.switchboard.core.presence;

import java.util.Arrays;
import java.util.Objects;

/**
 * One member of a presence channel: a user (however many connections it has there) and the {@code info}
 * its token gave, as compact JSON bytes (null when none).
 */
public record Member(String user, byte[] info) {
    public Member {
        Objects.requireNonNull(user, "user");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Member m && m.user.equals(user) && Arrays.equals(m.info, info);
    }

    @Override
    public int hashCode() {
        return user.hashCode() * 31 + Arrays.hashCode(info);
    }

    @Override
    public String toString() {
        return "Member[" + user + "]";
    }
}
