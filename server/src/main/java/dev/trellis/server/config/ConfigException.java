package dev.trellis.server.config;

/** A configuration value was rejected; the message is Redis's reason text. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
