package dev.trellis.server.config;

import java.util.List;

/**
 * One configuration parameter: its names, how its value is parsed, shown and applied. Values
 * go in and out as the strings of redis.conf and CONFIG GET/SET.
 */
public final class ConfigParam {
    public static final int IMMUTABLE = 1;
    public static final int PROTECTED = 2;
    /** Takes several arguments on one config line (save, client-output-buffer-limit, loadmodule...). */
    public static final int MULTI_ARG = 4;
    /** Hidden from CONFIG GET * (deprecated aliases, internal). */
    public static final int HIDDEN = 8;
    /** Each occurrence in a config file adds a value instead of replacing (loadmodule, include). */
    public static final int APPEND = 16;

    /** Parses and applies a value; throws with Redis's reason on bad input. */
    @FunctionalInterface
    public interface Setter {
        void set(String value) throws ConfigException;
    }

    @FunctionalInterface
    public interface Getter {
        String get();
    }

    private final String name;
    private final List<String> aliases;
    private final int flags;
    private final String defaultValue;
    private final Getter getter;
    private final Setter setter;
    /** The value syntax, for CONFIG REWRITE: bool, int, memory, enum, string, or special. */
    private String type = "special";

    public ConfigParam(String name, List<String> aliases, int flags, String defaultValue, Getter getter, Setter setter) {
        this.name = name;
        this.aliases = aliases;
        this.flags = flags;
        this.defaultValue = defaultValue;
        this.getter = getter;
        this.setter = setter;
    }

    /** Sets the value syntax ("bool", "int", "memory", "enum", "string", "special"). */
    public ConfigParam type(String type) {
        this.type = type;
        return this;
    }

    public String type() {
        return type;
    }

    public String name() {
        return name;
    }

    public List<String> aliases() {
        return aliases;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String get() {
        return getter.get();
    }

    public void set(String value) throws ConfigException {
        setter.set(value);
    }
}
