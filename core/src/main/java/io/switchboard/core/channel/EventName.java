package io.switchboard.core.channel;

import io.switchboard.core.error.SwitchboardException;

/** The rules for event names: 1–64 characters of {@code A–Z a–z 0–9 _ - . :}; {@code sb:} is reserved. */
public final class EventName {
    public static final String DEFAULT = "message";
    public static final int MAX_LENGTH = 64;

    private EventName() {}

    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.' || c == ':';
            if (!ok) return false;
        }
        return true;
    }

    /** Returns the event name ({@link #DEFAULT} for null), or throws a 400. */
    public static String check(String name) {
        if (name == null) return DEFAULT;
        if (!isValid(name)) {
            throw SwitchboardException.badRequest("bad_event",
                    "event name must be 1-64 characters of A-Z a-z 0-9 _ - . :");
        }
        if (name.startsWith("sb:")) {
            throw SwitchboardException.badRequest("bad_event", "event names starting with sb: are reserved");
        }
        return name;
    }
}
