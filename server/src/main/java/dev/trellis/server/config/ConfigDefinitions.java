package dev.trellis.server.config;

import dev.trellis.server.keyspace.EventType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds the parameter registry: every Redis parameter from {@code redis-configs.tsv} (name,
 * alias, type, default, bounds), validated by its type; the ones the server acts on are bound to
 * {@link Config}'s typed fields. Parameters with their own syntax (save, bind, dir, ...) are
 * defined here by hand.
 */
final class ConfigDefinitions {
    private ConfigDefinitions() {
    }

    /** Typed fields updated when a table parameter changes. */
    private static Map<String, Consumer<String>> bindings(Config c) {
        return Map.ofEntries(
                Map.entry("port", v -> c.port = Integer.parseInt(v)),
                Map.entry("unixsocket", v -> c.unixSocket = v),
                Map.entry("tcp-backlog", v -> c.tcpBacklog = Integer.parseInt(v)),
                Map.entry("tcp-keepalive", v -> c.tcpKeepalive = Integer.parseInt(v)),
                Map.entry("timeout", v -> c.timeoutSeconds = Long.parseLong(v)),
                Map.entry("busy-reply-threshold", v -> c.busyReplyThresholdMs = Long.parseLong(v)),
                Map.entry("maxclients", v -> c.maxClients = Integer.parseInt(v)),
                Map.entry("protected-mode", v -> c.protectedMode = v.equals("yes")),
                Map.entry("requirepass", v -> c.requirePass = v),
                Map.entry("proto-max-bulk-len", v -> c.protoMaxBulkLen = Long.parseLong(v)),
                Map.entry("client-query-buffer-limit", v -> c.clientQueryBufferLimit = Long.parseLong(v)),
                Map.entry("databases", v -> c.databases = Integer.parseInt(v)),
                Map.entry("hz", v -> c.hz = Integer.parseInt(v)),
                Map.entry("dynamic-hz", v -> c.dynamicHz = v.equals("yes")),
                Map.entry("activerehashing", v -> c.activeRehashing = v.equals("yes")),
                Map.entry("loglevel", v -> c.logLevel = v),
                Map.entry("logfile", v -> c.logFile = v),
                Map.entry("pidfile", v -> c.pidFile = v),
                Map.entry("daemonize", v -> c.daemonize = v.equals("yes")),
                Map.entry("dbfilename", v -> c.dbFilename = v),
                Map.entry("enable-module-command", v -> c.enableModuleCommand = v),
                Map.entry("enable-debug-command", v -> c.enableDebugCommand = v),
                Map.entry("enable-protected-configs", v -> c.enableProtectedConfigs = v),
                Map.entry("slowlog-log-slower-than", v -> c.slowlogSlowerThan = Long.parseLong(v)),
                Map.entry("slowlog-max-len", v -> c.slowlogMaxLen = Long.parseLong(v)),
                Map.entry("latency-monitor-threshold", v -> c.latencyMonitorThreshold = Long.parseLong(v)),
                Map.entry("maxmemory", v -> c.maxmemory = Long.parseLong(v)),
                Map.entry("maxmemory-policy", v -> c.maxmemoryPolicy = v),
                Map.entry("maxmemory-samples", v -> c.maxmemorySamples = Integer.parseInt(v)),
                Map.entry("lfu-log-factor", v -> c.lfuLogFactor = Integer.parseInt(v)),
                Map.entry("lfu-decay-time", v -> c.lfuDecayTime = Integer.parseInt(v)),
                Map.entry("appendonly", v -> c.appendOnly = v.equals("yes")),
                Map.entry("zset-max-listpack-entries", v -> c.zsetMaxListpackEntries = Long.parseLong(v)),
                Map.entry("zset-max-listpack-value", v -> c.zsetMaxListpackValue = Long.parseLong(v)),
                Map.entry("hll-sparse-max-bytes", v -> c.hllSparseMaxBytes = Long.parseLong(v)),
                Map.entry("stream-node-max-bytes", v -> c.streamNodeMaxBytes = Long.parseLong(v)),
                Map.entry("stream-node-max-entries", v -> c.streamNodeMaxEntries = Long.parseLong(v)));
    }

    static void register(Config c) {
        Map<String, Consumer<String>> bind = bindings(c);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                ConfigDefinitions.class.getResourceAsStream("redis-configs.tsv"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f[0].equals("special")) {
                    continue;
                }
                c.add(tableParam(f, bind.get(f[1])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        special(c);
    }

    private static ConfigParam tableParam(String[] f, Consumer<String> binding) {
        String type = f[0];
        String name = f[1];
        List<String> aliases = f[2].equals("-") ? List.of() : List.of(f[2]);
        int flags = 0;
        for (String fl : f[3].split(",")) {
            flags |= switch (fl) {
                case "immutable" -> ConfigParam.IMMUTABLE;
                case "protected" -> ConfigParam.PROTECTED;
                case "multi_arg" -> ConfigParam.MULTI_ARG;
                case "hidden" -> ConfigParam.HIDDEN;
                default -> 0;
            };
        }
        String def = f[4].equals("\"\"") ? "" : f[4];
        String extra = f[5];
        String[] value = {def};
        Normalizer norm = normalizer(type, extra);
        ConfigParam.Setter setter = v -> {
            String n = norm.normalize(v);
            value[0] = n;
            if (binding != null) {
                binding.accept(n);
            }
        };
        ConfigParam p = new ConfigParam(name, aliases, flags, def, () -> value[0], setter);
        p.type(type.endsWith("/memory") ? "memory" : switch (type) {
            case "bool", "enum" -> type;
            case "string", "sds" -> "string";
            default -> "int";
        });
        if (binding != null) {
            binding.accept(def);
        }
        return p;
    }

    @FunctionalInterface
    private interface Normalizer {
        String normalize(String v) throws ConfigException;
    }

    private static Normalizer normalizer(String type, String extra) {
        if (type.equals("bool")) {
            return v -> ConfigValues.yesNo(ConfigValues.bool(v));
        }
        if (type.equals("enum")) {
            List<String> allowed = List.of(extra.split("\\|"));
            return v -> {
                // Multi-valued enums (shutdown-on-sigterm "nosave now") take several words.
                StringBuilder sb = new StringBuilder();
                for (String w : Config.words(v.toLowerCase(Locale.ROOT))) {
                    if (!allowed.contains(w)) {
                        throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", allowed));
                    }
                    sb.append(sb.isEmpty() ? "" : " ").append(w);
                }
                if (sb.isEmpty()) {
                    throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", allowed));
                }
                return sb.toString();
            };
        }
        if (type.equals("string") || type.equals("sds")) {
            return v -> v;
        }
        String[] b = extra.split("\\.\\.");
        long min = parseBound(b[0]);
        long max = parseBound(b[1]);
        boolean memory = type.endsWith("/memory");
        return v -> {
            if (memory && min < 0 && v.endsWith("%")) {
                // Percent of maxmemory (maxmemory-clients): kept as written.
                long pct = ConfigValues.integer(v.substring(0, v.length() - 1), 0, -min);
                return pct + "%";
            }
            if (memory && min >= 0 && v.startsWith("-")) {
                throw new ConfigException("argument must be a memory value");
            }
            long n = memory ? ConfigValues.memory(v) : ConfigValues.integer(v, Long.MIN_VALUE, Long.MAX_VALUE);
            if (n < min || n > max) {
                throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
            }
            return Long.toString(n);
        };
    }

    private static long parseBound(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return s.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE; // unsigned 64-bit maxima
        }
    }

    private static void special(Config c) {
        c.add(new ConfigParam("save", List.of(), ConfigParam.MULTI_ARG, c.save, () -> c.save, v -> {
            List<String> w = Config.words(v);
            if (w.size() % 2 != 0) {
                throw new ConfigException("Invalid save parameters");
            }
            for (String n : w) {
                try {
                    if (Long.parseLong(n) < 0) {
                        throw new ConfigException("Invalid save parameters");
                    }
                } catch (NumberFormatException e) {
                    throw new ConfigException("Invalid save parameters");
                }
            }
            c.save = String.join(" ", w);
        }));
        c.add(new ConfigParam("bind", List.of(), ConfigParam.MULTI_ARG, "* -::*", () -> String.join(" ", c.bind), v -> {
            List<String> w = Config.words(v);
            if (w.size() > 16) {
                throw new ConfigException("Too many bind addresses specified.");
            }
            c.bind = w.isEmpty() ? List.of("*", "-::*") : List.copyOf(w);
        }));
        c.add(new ConfigParam("client-output-buffer-limit", List.of(), ConfigParam.MULTI_ARG,
                c.outputLimits.format(), c.outputLimits::format, c.outputLimits::parse));
        c.add(new ConfigParam("notify-keyspace-events", List.of(), 0, "", () -> c.notifyKeyspaceEvents, v -> {
            int flags = EventType.parse(v);
            if (flags < 0) {
                throw new ConfigException("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
            }
            c.notifyKeyspaceEvents = EventType.format(flags);
        }));
        c.add(new ConfigParam("dir", List.of(), ConfigParam.PROTECTED, "", () -> {
            return c.dir.isEmpty() ? Path.of("").toAbsolutePath().toString() : c.dir;
        }, v -> {
            Path p = Path.of(v).toAbsolutePath().normalize();
            if (!Files.isDirectory(p)) {
                throw new ConfigException("No such file or directory");
            }
            c.dir = p.toString();
        }));
        c.add(new ConfigParam("unixsocketperm", List.of(), ConfigParam.IMMUTABLE, "0",
                () -> Integer.toOctalString(c.unixSocketPerm), v -> {
                    try {
                        c.unixSocketPerm = Integer.parseInt(v, 8);
                    } catch (NumberFormatException e) {
                        throw new ConfigException("argument couldn't be parsed into an integer");
                    }
                }));
        String[] oom = {"0 200 800"};
        c.add(new ConfigParam("oom-score-adj-values", List.of(), ConfigParam.MULTI_ARG, oom[0], () -> oom[0], v -> {
            if (Config.words(v).size() != 3) {
                throw new ConfigException("Invalid oom-score-adj-values");
            }
            oom[0] = String.join(" ", Config.words(v));
        }));
        String[] replicaof = {""};
        c.add(new ConfigParam("replicaof", List.of("slaveof"), ConfigParam.MULTI_ARG | ConfigParam.IMMUTABLE, "",
                () -> replicaof[0], v -> replicaof[0] = v));
        String[] pct = {"50 99 99.9"};
        c.add(new ConfigParam("latency-tracking-info-percentiles", List.of(), ConfigParam.MULTI_ARG, pct[0],
                () -> pct[0], v -> pct[0] = percentiles(v)));
        c.add(new ConfigParam("loadmodule", List.of(), ConfigParam.APPEND | ConfigParam.MULTI_ARG | ConfigParam.HIDDEN, "",
                () -> "", v -> {
                    List<String> w = Config.words(v);
                    if (w.isEmpty()) {
                        throw new ConfigException("Bad directive or wrong number of arguments");
                    }
                    c.loadModules.add(w.toArray(new String[0]));
                }));
        List<String> renames = new ArrayList<>();
        c.add(new ConfigParam("rename-command", List.of(), ConfigParam.APPEND | ConfigParam.MULTI_ARG | ConfigParam.HIDDEN, "",
                () -> String.join(" ", renames), v -> {
                    if (Config.words(v).size() != 2) {
                        throw new ConfigException("Bad directive or wrong number of arguments");
                    }
                    renames.add(v);
                }));
        c.add(new ConfigParam("user", List.of(), ConfigParam.APPEND | ConfigParam.MULTI_ARG | ConfigParam.HIDDEN, "",
                () -> "", v -> { }));
    }

    /** Percentiles between 0 and 100, shown as Redis shows them ("50 99 99.9", not "50.0 ..."). */
    private static String percentiles(String v) throws ConfigException {
        StringBuilder out = new StringBuilder();
        for (String w : Config.words(v)) {
            double d;
            try {
                if (Character.isLetter(w.charAt(w.length() - 1))) {
                    throw new NumberFormatException(w); // Java would accept "1d" or "2f"
                }
                d = Double.parseDouble(w);
            } catch (NumberFormatException e) {
                throw new ConfigException("Invalid latency-tracking-info-percentiles parameters");
            }
            if (Double.isNaN(d) || d > 100.0 || d < 0.0) {
                throw new ConfigException("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            String f = String.format(java.util.Locale.ROOT, "%f", d).replaceAll("0+$", "");
            if (f.endsWith(".")) {
                f = f.substring(0, f.length() - 1);
            }
            out.append(out.isEmpty() ? "" : " ").append(f);
        }
        return out.toString();
    }
}
