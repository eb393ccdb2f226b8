package dev.trellis.server.module;

import dev.trellis.server.config.Config;
import dev.trellis.server.config.ConfigException;
import dev.trellis.server.config.ConfigParam;
import dev.trellis.server.config.ConfigValues;
import dev.trellis.server.log.ServerLog;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Module configs (RegisterBool/Numeric/String/EnumConfig and LoadConfigs): each becomes a
 * server parameter named "&lt;module&gt;.&lt;name&gt;" that CONFIG GET/SET/REWRITE see, parsed and
 * checked as Redis parses its own parameters (yes/no, integers with bounds or memory units,
 * enum names, bit-flag combinations), read and written through the module's callbacks, with
 * its apply callback run once per CONFIG SET.
 *
 * <p>LoadConfigs gives each config its value from the configuration (queued until the module
 * loads), from MODULE LOADEX CONFIG arguments, or its default.
 */
public final class ModuleConfigs {
    /** REDISMODULE_CONFIG_* flags. */
    public static final int IMMUTABLE = 1;
    public static final int SENSITIVE = 1 << 1;
    public static final int HIDDEN = 1 << 4;
    public static final int PROTECTED = 1 << 5;
    public static final int DENY_LOADING = 1 << 6;
    public static final int MEMORY = 1 << 7;
    public static final int BITFLAGS = 1 << 8;
    private static final int ALL_FLAGS = IMMUTABLE | SENSITIVE | HIDDEN | PROTECTED | DENY_LOADING | MEMORY | BITFLAGS;
    /** errno values Register*Config leaves. */
    public static final int EBUSY = 16;
    public static final int EINVAL = 22;
    public static final int EALREADY = 114;

    public enum Kind { BOOL, NUMERIC, STRING, ENUM }

    /** The module's get and set callbacks; setters return null or the module's error text. */
    public interface Callbacks {
        /** Bool (0/1), numeric and enum values. */
        long getNumber();

        /** String values (null reads as empty). */
        byte[] getString();

        String setNumber(long v);

        String setString(byte[] v);
    }

    /** A module's apply callback: null, or its error text. */
    public interface Apply {
        String apply();
    }

    /** One registered config. */
    private record Entry(Module module, String name, String fullName, Kind kind, int flags, String defaultText,
                         long min, long max, List<String> enumNames, int[] enumValues, Callbacks cb) {
    }

    private final ModuleHost host;
    private final Map<Module, List<Entry>> byModule = new LinkedHashMap<>();
    private final Map<Module, Boolean> initialized = new IdentityHashMap<>();
    /** One applier per (module callback, private data), so CONFIG SET runs it once. */
    private final Map<Object, Config.Applier> appliers = new LinkedHashMap<>();

    public ModuleConfigs(ModuleHost host) {
        this.host = host;
        host.addListener(new ModuleHost.Listener() {
            @Override
            public String loadCheck(Module m) {
                List<Entry> l = byModule.get(m);
                if (l != null && !l.isEmpty() && !initialized.containsKey(m)) {
                    return "Module Configurations were not set, likely a missing LoadConfigs call. Unloading the module.";
                }
                return null;
            }

            @Override
            public void unregistering(Module m) {
                List<Entry> l = byModule.remove(m);
                initialized.remove(m);
                if (l != null) {
                    for (Entry e : l) {
                        host.server().config().remove(e.fullName());
                    }
                }
            }
        });
    }

    public static ModuleConfigs of(ModuleHost host) {
        return host.service(ModuleConfigs.class, ModuleConfigs::new);
    }

    /**
     * Registers a config. Returns 0, or the errno Redis leaves: EBUSY outside OnLoad, EINVAL
     * for bad flags or name, EALREADY for a name the module registered before.
     */
    public int register(Module m, String name, Kind kind, int flags, String defaultText, long min, long max,
                        List<String> enumNames, int[] enumValues, Callbacks cb, Object applyKey, Apply apply) {
        if (m == null || !m.inOnLoad()) {
            return EBUSY;
        }
        // Redis checks string configs with the numeric rules (so MEMORY passes for them).
        Kind checkAs = kind == Kind.STRING ? Kind.NUMERIC : kind;
        if ((flags & ~ALL_FLAGS) != 0) {
            ServerLog.get().warning("Invalid flag(s) for configuration");
            return EINVAL;
        }
        if (checkAs != Kind.NUMERIC && (flags & MEMORY) != 0) {
            ServerLog.get().warning("Numeric flag provided for non-numeric configuration.");
            return EINVAL;
        }
        if (checkAs != Kind.ENUM && (flags & BITFLAGS) != 0) {
            ServerLog.get().warning("Enum flag provided for non-enum configuration.");
            return EINVAL;
        }
        if (!validName(name)) {
            return EINVAL;
        }
        List<Entry> list = byModule.computeIfAbsent(m, k -> new ArrayList<>());
        for (Entry e : list) {
            if (e.name().equals(name)) {
                ServerLog.get().warning("Configuration by the name: " + name + " already registered");
                return EALREADY;
            }
        }
        String full = m.name() + "." + name;
        Entry e = new Entry(m, name, full, kind, flags, defaultText, min, max, enumNames, enumValues, cb);
        list.add(e);
        int pflags = 0;
        if ((flags & IMMUTABLE) != 0) {
            pflags |= ConfigParam.IMMUTABLE;
        }
        if ((flags & HIDDEN) != 0) {
            pflags |= ConfigParam.HIDDEN;
        }
        if ((flags & PROTECTED) != 0) {
            pflags |= ConfigParam.PROTECTED;
        }
        ConfigParam p = new ConfigParam(full.toLowerCase(Locale.ROOT), List.of(), pflags, defaultText, () -> get(e),
                v -> set(e, v));
        p.type(switch (kind) {
            case BOOL -> "bool";
            case NUMERIC -> (flags & MEMORY) != 0 ? "memory" : "int";
            case STRING -> "string";
            case ENUM -> "enum";
        });
        Config cfg = host.server().config();
        cfg.add(p);
        if (apply != null) {
            Config.Applier a = appliers.computeIfAbsent(applyKey, k -> () -> {
                String err = apply.apply();
                if (err != null) {
                    throw new ConfigException(err);
                }
            });
            cfg.applier(p.name(), a);
        }
        return 0;
    }

    /** Redis's module resource names: letters, digits, '_' and '-'. */
    static boolean validName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '-')) {
                ServerLog.get().warning("Invalid character " + ch + " in Module resource name " + name + ".");
                return false;
            }
        }
        return true;
    }

    /**
     * LoadConfigs: every config of {@code m} gets its queued (configuration file or LOADEX)
     * value, or its default. False, with Redis's log line, when the module refused a value.
     */
    public boolean load(Module m) {
        if (m == null || !m.inOnLoad()) {
            return false;
        }
        Map<String, String> queue = host.server().config().moduleConfigQueue;
        Map<String, String> loadex = host.pendingConfigs();
        for (Entry e : byModule.getOrDefault(m, List.of())) {
            String key = e.fullName();
            String value = loadex.containsKey(key) ? loadex.get(key) : queue.get(key);
            boolean given = value != null;
            try {
                set(e, given ? value : e.defaultText() == null ? "" : e.defaultText(), true);
            } catch (ConfigException ex) {
                if (given) {
                    ServerLog.get().warning("Issue during loading of configuration " + key + " : " + ex.getMessage());
                } else {
                    ServerLog.get().warning("Issue attempting to set default value of configuration " + e.name() + " : "
                            + ex.getMessage());
                }
                queue.clear();
                loadex.clear();
                return false;
            }
            queue.remove(key);
            loadex.remove(key);
        }
        initialized.put(m, true);
        return true;
    }

    // --- values as text -----------------------------------------------------------------

    private String get(Entry e) {
        return switch (e.kind()) {
            case BOOL -> e.cb().getNumber() != 0 ? "yes" : "no";
            case NUMERIC -> Long.toString(e.cb().getNumber());
            case STRING -> {
                byte[] b = e.cb().getString();
                yield b == null ? "" : new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            case ENUM -> enumName(e, (int) e.cb().getNumber());
        };
    }

    private void set(Entry e, String v) throws ConfigException {
        set(e, v, false);
    }

    /** Parses {@code v}, then calls the module's setter (only when the value changes, as Redis). */
    private void set(Entry e, String v, boolean always) throws ConfigException {
        String err;
        switch (e.kind()) {
            case BOOL -> {
                long b = ConfigValues.bool(v) ? 1 : 0;
                if (!always && e.cb().getNumber() == b) {
                    return;
                }
                err = e.cb().setNumber(b);
            }
            case NUMERIC -> {
                long n = parseNumeric(e, v);
                if (n < e.min() || n > e.max()) {
                    throw new ConfigException("argument must be between " + e.min() + " and " + e.max() + " inclusive");
                }
                if (!always && e.cb().getNumber() == n) {
                    return;
                }
                err = e.cb().setNumber(n);
            }
            case ENUM -> {
                int n = enumValue(e, v);
                if (!always && e.cb().getNumber() == n) {
                    return;
                }
                err = e.cb().setNumber(n);
            }
            default -> err = e.cb().setString(v.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        if (err != null) {
            throw new ConfigException(err);
        }
    }

    private static long parseNumeric(Entry e, String v) throws ConfigException {
        if ((e.flags() & MEMORY) != 0) {
            long n = v.startsWith("-") || v.startsWith("+") ? Long.MIN_VALUE : ConfigValues.memoryOr(v, Long.MIN_VALUE);
            if (n == Long.MIN_VALUE) {
                throw new ConfigException("argument must be a memory value");
            }
            return n;
        }
        Long n = strictLong(v);
        if (n == null) {
            throw new ConfigException("argument couldn't be parsed into an integer");
        }
        return n;
    }

    /** Redis's string2ll: optional '-', digits, no leading zeros, no spaces. */
    private static Long strictLong(String v) {
        if (v.isEmpty() || v.length() > 20) {
            return null;
        }
        int i = v.charAt(0) == '-' ? 1 : 0;
        if (i == v.length() || (v.charAt(i) == '0' && v.length() > i + 1)) {
            return null;
        }
        for (int j = i; j < v.length(); j++) {
            if (v.charAt(j) < '0' || v.charAt(j) > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException ex) {
            return null;
        }
    }

    /** Redis's configEnumGetValue: one name, or several OR-ed for bit flags. */
    private static int enumValue(Entry e, String v) throws ConfigException {
        List<String> words = new ArrayList<>();
        for (String w : v.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        boolean bitflags = (e.flags() & BITFLAGS) != 0;
        boolean ok = !words.isEmpty() && (bitflags || words.size() == 1);
        int value = 0;
        for (int i = 0; ok && i < words.size(); i++) {
            boolean matched = false;
            for (int j = 0; j < e.enumNames().size(); j++) {
                if (e.enumNames().get(j).equalsIgnoreCase(words.get(i))) {
                    value |= e.enumValues()[j];
                    matched = true;
                }
            }
            ok = matched;
        }
        if (!ok) {
            throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", e.enumNames()));
        }
        return value;
    }

    /** Redis's configEnumGetName: an exact match, or (bit flags) the names covering the bits. */
    private static String enumName(Entry e, int value) {
        boolean bitflags = (e.flags() & BITFLAGS) != 0;
        StringBuilder names = null;
        int unmatched = value;
        for (int j = 0; j < e.enumNames().size(); j++) {
            int ev = e.enumValues()[j];
            if (value == ev) {
                return e.enumNames().get(j);
            }
            if (bitflags && ev != 0 && ev == (unmatched & ev)) {
                names = names == null ? new StringBuilder(e.enumNames().get(j)) : names.append(' ').append(e.enumNames().get(j));
                unmatched &= ~ev;
            }
        }
        if (names == null || unmatched != 0) {
            return "unknown";
        }
        return names.toString();
    }
}
