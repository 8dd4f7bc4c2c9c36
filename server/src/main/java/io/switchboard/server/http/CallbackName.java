package io.switchboard.server.http;

import io.switchboard.core.error.SwitchboardException;

/**
 * The {@code callback} of JSONP and the forever iframe: JavaScript identifiers (ASCII letters, digits,
 * {@code _} and {@code $}, not starting with a digit) joined by dots, at most 64 characters. It is written
 * into a script the browser runs, so anything else is refused with a 400 whose body never repeats it —
 * this is where reflected script injection hides.
 */
public final class CallbackName {
    public static final int MAX_LENGTH = 64;

    private CallbackName() {}

    /** Returns {@code name} when it is a valid callback; throws the 400 otherwise (null included). */
    public static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw SwitchboardException.badRequest("bad_callback", "callback is missing");
        }
        if (name.length() > MAX_LENGTH || !valid(name)) {
            throw SwitchboardException.badRequest("bad_callback",
                    "callback must be JavaScript identifiers joined by dots, at most " + MAX_LENGTH + " characters");
        }
        return name;
    }

    private static boolean valid(String name) {
        boolean start = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '.') {
                if (start) return false; // empty part: leading dot or two dots
                start = true;
            } else if (isLetter(c) || c == '_' || c == '$') {
                start = false;
            } else if (c >= '0' && c <= '9') {
                if (start) return false;
            } else {
                return false;
            }
        }
        return !start; // a trailing dot leaves an empty last part
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
