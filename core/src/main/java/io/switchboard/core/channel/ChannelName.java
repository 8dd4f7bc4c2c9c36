package io.switchboard.core.channel;

import io.switchboard.core.error.SwitchboardException;

/** The rules for channel names: 1–164 characters of {@code A–Z a–z 0–9 _ - = @ , . ; :}. */
public final class ChannelName {
    public static final int MAX_LENGTH = 164;
    private static final boolean[] ALLOWED = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) ALLOWED[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) ALLOWED[c] = true;
        for (char c = '0'; c <= '9'; c++) ALLOWED[c] = true;
        for (char c : "_-=@,.;:".toCharArray()) ALLOWED[c] = true;
    }

    private ChannelName() {}

    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) return false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 128 || !ALLOWED[c]) return false;
        }
        return true;
    }

    /** Returns the name, or throws a 400 that says what is wrong with it. */
    public static String check(String name) {
        if (name == null || name.isEmpty()) {
            throw SwitchboardException.badRequest("bad_channel", "channel is missing");
        }
        if (name.length() > MAX_LENGTH) {
            throw SwitchboardException.badRequest("bad_channel",
                    "channel name is longer than " + MAX_LENGTH + " characters");
        }
        if (!isValid(name)) {
            throw SwitchboardException.badRequest("bad_channel",
                    "channel name may only hold A-Z a-z 0-9 _ - = @ , . ; :");
        }
        return name;
    }
}
