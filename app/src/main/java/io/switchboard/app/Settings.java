package io.switchboard.app;

import io.switchboard.server.ServerConfig;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The settings one source gave (flags, environment or config file), already parsed. A setting the source
 * did not mention is absent, so that {@link #over} can layer sources: flag over env over file over default.
 */
final class Settings {
    static final Settings EMPTY = new Settings(new EnumMap<>(Setting.class));

    private final Map<Setting, Object> values;

    private Settings(EnumMap<Setting, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** Collects parsed values of one source. */
    static final class Builder {
        private final EnumMap<Setting, Object> values = new EnumMap<>(Setting.class);

        /** Parses {@code raw} for {@code setting}; errors name {@code where} (a flag, a variable, a file key). */
        Builder parse(Setting setting, String raw, String where) {
            values.put(setting, setting.parse(raw, where));
            return this;
        }

        Settings build() {
            return new Settings(values.clone());
        }
    }

    static Builder builder() {
        return new Builder();
    }

    boolean has(Setting setting) {
        return values.containsKey(setting);
    }

    Object get(Setting setting) {
        return values.get(setting);
    }

    /** These settings with {@code lower}'s filling the gaps. */
    Settings over(Settings lower) {
        EnumMap<Setting, Object> merged = new EnumMap<>(Setting.class);
        merged.putAll(lower.values);
        merged.putAll(values);
        return new Settings(merged);
    }

    /** {@code base} changed by every setting present here. */
    ServerConfig applyTo(ServerConfig base) {
        ServerConfig config = base;
        for (Map.Entry<Setting, Object> e : values.entrySet()) config = e.getKey().applyTo(config, e.getValue());
        return config;
    }
}
