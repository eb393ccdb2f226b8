package dev.trellis.server.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The server configuration: typed fields the server reads directly, and a registry of
 * {@link ConfigParam}s (Redis's names and aliases) through which redis.conf, the command line
 * and CONFIG GET/SET reach those fields. Parameters that Trellis accepts but that have no
 * effect yet are kept as plain values, so configs written for Redis load unchanged.
 */
public final class Config {
    // Network
    public int port = 6379;
    public List<String> bind = List.of("*", "-::*");
    public String unixSocket = "";
    public int unixSocketPerm = 0;
    public int tcpBacklog = 511;
    public int tcpKeepalive = 300;
    public long timeoutSeconds = 0;
    public int maxClients = 10000;
    public boolean protectedMode = true;
    public String requirePass = "";
    // Limits
    public long protoMaxBulkLen = 512L * 1024 * 1024;
    public long clientQueryBufferLimit = 1024L * 1024 * 1024;
    public final OutputBufferLimits outputLimits = new OutputBufferLimits();
    // Server
    public int databases = 16;
    public int hz = 10;
    /** busy-reply-threshold (lua-time-limit): ms a long command runs before others get -BUSY. */
    public long busyReplyThresholdMs = 5000;
    public boolean dynamicHz = true;
    public boolean activeRehashing = true;
    public String logLevel = "notice";
    public String logFile = "";
    public String pidFile = "";
    public boolean daemonize = false;
    public String dir = "";
    public String dbFilename = "dump.rdb";
    public String enableModuleCommand = "no";
    public String enableDebugCommand = "no";
    public String enableProtectedConfigs = "no";
    public String notifyKeyspaceEvents = "";
    public long slowlogSlowerThan = 10000;
    public long slowlogMaxLen = 128;
    public long latencyMonitorThreshold = 0;
    public long maxmemory = 0;
    public String maxmemoryPolicy = "noeviction";
    public int maxmemorySamples = 5;
    public int lfuLogFactor = 10;
    public int lfuDecayTime = 1;
    public List<String[]> loadModules = new ArrayList<>();
    /** The loaded modules as CONFIG REWRITE writes them ("path arg ..."), supplied by the module host. */
    public java.util.function.Supplier<List<String>> loadedModuleLines;
    public String save = "3600 1 300 100 60 10000";
    // Data type encodings (sorted sets, HyperLogLog, streams)
    public long zsetMaxListpackEntries = 128;
    public long zsetMaxListpackValue = 64;
    public long hllSparseMaxBytes = 3000;
    public long streamNodeMaxBytes = 4096;
    public long streamNodeMaxEntries = 100;
    public boolean appendOnly = false;
    /**
     * Module configs ("name.param value") given in the configuration, kept until their module
     * loads and takes them (RedisModule_LoadConfigs).
     */
    public final Map<String, String> moduleConfigQueue = new LinkedHashMap<>();
    /** The configuration's {@code user <name> <rules...>} lines (name first), loaded by the ACL at startup. */
    public final List<List<String>> aclUsers = new ArrayList<>();
    /** The user lines CONFIG REWRITE writes (set by the ACL; empty when an aclfile holds the users). */
    public java.util.function.Supplier<List<String>> aclUserLines;

    private final Map<String, ConfigParam> params = new LinkedHashMap<>();
    private final Map<String, ConfigParam> byName = new LinkedHashMap<>();
    /** Listeners told after a parameter changed at runtime (CONFIG SET). */
    private final Map<String, List<Consumer<String>>> listeners = new LinkedHashMap<>();
    /** The file the server was started with, for CONFIG REWRITE. */
    private String configFile;

    public Config() {
        ConfigDefinitions.register(this);
        // As a Redis built without jemalloc: no allocator here can move live allocations.
        applier("activedefrag", () -> {
            if ("yes".equals(find("activedefrag").get())) {
                throw new ConfigException("Active defragmentation cannot be enabled: it requires a Redis server "
                        + "compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution");
            }
        });
    }

    public String configFile() {
        return configFile;
    }

    public void configFile(String path) {
        this.configFile = path;
    }

    public void add(ConfigParam p) {
        params.put(p.name(), p);
        byName.put(p.name(), p);
        for (String a : p.aliases()) {
            byName.put(a, p);
        }
    }

    /** Removes a parameter (module configs on unload). */
    public void remove(String name) {
        ConfigParam p = params.remove(name);
        if (p != null) {
            byName.remove(name);
            for (String a : p.aliases()) {
                byName.remove(a);
            }
        }
    }

    public ConfigParam find(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    public Collection<ConfigParam> all() {
        return params.values();
    }

    /** Applies a parameter's new value to the running server; may refuse (CONFIG SET then fails). */
    @FunctionalInterface
    public interface Applier {
        void apply() throws ConfigException;
    }

    private final Map<String, Applier> appliers = new LinkedHashMap<>();

    /**
     * Registers how a runtime change of {@code name} takes effect when that can fail (binding
     * sockets): on failure CONFIG SET restores every value it changed and applies them again.
     */
    public void applier(String name, Applier a) {
        appliers.put(name, a);
    }

    /** Registers a callback run after {@code name} is set at runtime. */
    public void onChange(String name, Consumer<String> listener) {
        listeners.computeIfAbsent(name, k -> new ArrayList<>()).add(listener);
    }

    private final List<Consumer<String>> anyListeners = new ArrayList<>();

    /** Registers a callback told the name of every parameter set at runtime (module config events). */
    public void onAnyChange(Consumer<String> listener) {
        anyListeners.add(listener);
    }

    void fireChanged(ConfigParam p) {
        List<Consumer<String>> l = listeners.get(p.name());
        if (l != null) {
            String v = p.get();
            l.forEach(c -> c.accept(v));
        }
        for (Consumer<String> a : anyListeners) {
            a.accept(p.name());
        }
    }

    /**
     * CONFIG SET of several parameters at once: all are validated and applied, or, when one
     * fails, the ones already applied are put back and the error names the culprit.
     */
    public void setAtomically(List<String[]> pairs, boolean protectedAllowed) throws ConfigException {
        List<ConfigParam> ps = new ArrayList<>();
        for (String[] kv : pairs) {
            ConfigParam p = find(kv[0]);
            if (p == null || p.has(ConfigParam.APPEND)) {
                throw new ConfigException("ERR Unknown option or number of arguments for CONFIG SET - '" + kv[0] + "'");
            }
            if (ps.contains(p)) {
                throw new ConfigException("ERR CONFIG SET failed (possibly related to argument '" + kv[0] + "') - duplicate parameter");
            }
            if (p.has(ConfigParam.IMMUTABLE)) {
                throw new ConfigException("ERR CONFIG SET failed (possibly related to argument '" + kv[0] + "') - can't set immutable config");
            }
            if (p.has(ConfigParam.PROTECTED) && !protectedAllowed) {
                throw new ConfigException("ERR CONFIG SET failed (possibly related to argument '" + kv[0] + "') - can't set protected config");
            }
            ps.add(p);
        }
        String[] old = new String[ps.size()];
        for (int i = 0; i < ps.size(); i++) {
            old[i] = ps.get(i).get();
        }
        int i = 0;
        try {
            for (; i < ps.size(); i++) {
                ps.get(i).set(pairs.get(i)[1]);
            }
        } catch (ConfigException e) {
            for (int j = 0; j < i; j++) {
                try {
                    ps.get(j).set(old[j]);
                } catch (ConfigException ignored) {
                    // restoring a value that was valid before
                }
            }
            throw new ConfigException("ERR CONFIG SET failed (possibly related to argument '" + pairs.get(i)[0] + "') - " + e.getMessage());
        }
        for (int k = 0; k < ps.size(); k++) {
            Applier a = appliers.get(ps.get(k).name());
            if (a == null || ps.subList(0, k).stream().anyMatch(q -> appliers.get(q.name()) == a)) {
                continue;
            }
            try {
                a.apply();
            } catch (ConfigException e) {
                restore(ps, old);
                throw new ConfigException("ERR CONFIG SET failed (possibly related to argument '" + pairs.get(k)[0] + "') - "
                        + e.getMessage());
            }
        }
        for (ConfigParam p : ps) {
            fireChanged(p);
        }
    }

    /** Puts back values after a failed apply and applies them again (best effort: they worked before). */
    private void restore(List<ConfigParam> ps, String[] old) {
        for (int j = 0; j < ps.size(); j++) {
            try {
                ps.get(j).set(old[j]);
            } catch (ConfigException ignored) {
                // a value that was valid before
            }
        }
        java.util.Set<Applier> done = new java.util.HashSet<>();
        for (ConfigParam p : ps) {
            Applier a = appliers.get(p.name());
            if (a != null && done.add(a)) {
                try {
                    a.apply();
                } catch (ConfigException ignored) {
                    // nothing more can be done; the failure was reported
                }
            }
        }
    }

    /**
     * Values by CONFIG GET patterns (globs, case-insensitive). An exact name answers under the
     * name as given; a glob also matches aliases; each name appears once.
     */
    public Map<String, String> get(List<String> patterns) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pat : patterns) {
            if (!hasGlob(pat)) {
                ConfigParam p = find(pat);
                if (p != null && !p.has(ConfigParam.APPEND) && !out.containsKey(pat)) {
                    out.put(pat, p.get());
                }
                continue;
            }
            for (Map.Entry<String, ConfigParam> e : byName.entrySet()) {
                ConfigParam p = e.getValue();
                if (!p.has(ConfigParam.HIDDEN) && !p.has(ConfigParam.APPEND) && !out.containsKey(e.getKey())
                        && dev.trellis.server.util.Glob.match(pat, e.getKey(), true)) {
                    out.put(e.getKey(), p.get());
                }
            }
        }
        return out;
    }

    private static boolean hasGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0;
    }

    /** Splits "a b c" lists of save points, bind addresses and the like. */
    static List<String> words(String v) {
        List<String> out = new ArrayList<>(Arrays.asList(v.trim().split("\\s+")));
        out.removeIf(String::isEmpty);
        return out;
    }
}
