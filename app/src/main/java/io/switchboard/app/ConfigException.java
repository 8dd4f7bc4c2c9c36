package io.switchboard.app;

/**
 * A setting that cannot be used, with a one-line message that names where it came from (a flag, an
 * environment variable or a key of the config file). The CLI prints the message and exits with 2.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        // No stack trace: the message is the whole story for the operator.
        super(message, null, false, false);
    }
}
