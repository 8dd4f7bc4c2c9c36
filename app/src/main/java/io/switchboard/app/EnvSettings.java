package io.switchboard.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Settings from {@code SWITCHBOARD_*} environment variables. The environment is passed in as a map so
 * tests can give one without touching the real process environment. An empty variable counts as unset.
 */
final class EnvSettings {
    private EnvSettings() {}

    static Settings read(Map<String, String> env) {
        Settings.Builder b = Settings.builder();
        for (Setting s : Setting.values()) {
            String raw = env.get(s.env());
            if (raw != null && !raw.isEmpty()) b.parse(s, raw, s.env());
        }
        return b.build();
    }

    /** {@code SWITCHBOARD_*} variables that mean nothing here, most likely typos, sorted. */
    static List<String> unknown(Map<String, String> env) {
        TreeSet<String> known = new TreeSet<>();
        for (Setting s : Setting.values()) known.add(s.env());
        known.add(Setting.CONFIG_ENV);
        List<String> unknown = new ArrayList<>();
        for (String name : new TreeSet<>(env.keySet())) {
            if (name.startsWith("SWITCHBOARD_") && !known.contains(name)) unknown.add(name);
        }
        return unknown;
    }
}
