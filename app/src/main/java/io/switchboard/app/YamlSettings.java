package io.switchboard.app;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Settings from a YAML config file whose keys are the flags' names ({@code port: 8080},
 * {@code allowed-origins: [https://app.example.com]}, {@code heartbeat: 25s}). An unknown key is an error
 * naming it, so a typo never silently falls back to a default.
 */
final class YamlSettings {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private YamlSettings() {}

    static Settings read(Path file) {
        String name = "config file " + file;
        JsonNode root = parse(file, name);
        if (root == null || root.isMissingNode() || root.isNull()) return Settings.EMPTY;
        if (!root.isObject()) throw new ConfigException(name + ": expected settings as 'key: value' lines");
        Settings.Builder b = Settings.builder();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            Setting s = Setting.byKey(field.getKey());
            if (s == null) {
                throw new ConfigException(name + ": unknown key '" + field.getKey() + "' (known keys: "
                        + Setting.knownKeys() + ")");
            }
            String where = name + ": " + s.key();
            b.parse(s, text(s, field.getValue(), where), where);
        }
        return b.build();
    }

    private static JsonNode parse(Path file, String name) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(name + ": permission denied");
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot be read (" + (Files.isDirectory(file) ? "it is a directory"
                    : oneLine(String.valueOf(e.getMessage()))) + ")");
        }
        try {
            return YAML.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new ConfigException(name + ": not valid YAML" + where + ": " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(name + ": cannot be read (" + oneLine(String.valueOf(e.getMessage())) + ")");
        }
    }

    /** The value as text for the setting's parser; a list becomes comma-joined (only origins take one). */
    private static String text(Setting s, JsonNode value, String where) {
        if (value.isNull()) throw new ConfigException(where + ": has no value");
        if (s.isStructured()) return value.toString(); // its parser reads JSON, which this node is
        if (s.isList() && value.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isTextual()) throw new ConfigException(where + ": expected a list of strings");
                parts.add(item.asText());
            }
            return String.join(",", parts);
        }
        if (!value.isValueNode()) {
            throw new ConfigException(where + ": expected " + (s.isList() ? "a list of strings" : "a single value"));
        }
        return value.asText();
    }

    /**
     * SnakeYAML messages span lines: descriptions at the start of a line, then indented source excerpts
     * and carets. The CLI prints one line, so keep the descriptions only.
     */
    static String oneLine(String message) {
        if (message == null || message.isBlank()) return "unknown error";
        List<String> parts = new ArrayList<>();
        for (String line : message.split("\n")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) parts.add(line.trim());
        }
        return parts.isEmpty() ? message.strip().replace('\n', ' ') : String.join("; ", parts);
    }
}
