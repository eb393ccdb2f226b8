package dev.trellis.server.info;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import dev.trellis.server.client.Client;

/**
 * The sections of INFO, in output order, and the named gauges they read. Other packages plug
 * in here: the persistence layer can {@link #register replace} the persistence section, the
 * module host adds module sections with {@link Kind#MODULE}, and features that own a figure
 * (pub/sub channel counts, blocked keys, cached scripts...) publish it as a {@link #gauge}.
 *
 * <p>Gauge names used by the standard sections (0 until someone publishes them):
 * {@code blocked_clients}, {@code tracking_clients} (both default to counting client flags),
 * {@code clients_in_timeout_table}, {@code total_blocking_keys},
 * {@code total_blocking_keys_on_nokey}, {@code pubsub_channels}, {@code pubsub_patterns},
 * {@code pubsubshard_channels}, {@code tracking_total_keys}, {@code tracking_total_items},
 * {@code tracking_total_prefixes}, {@code dump_payload_sanitizations},
 * {@code used_memory_vm_eval}, {@code used_memory_scripts_eval},
 * {@code number_of_cached_scripts}, {@code number_of_functions},
 * {@code number_of_libraries}, {@code used_memory_vm_functions},
 * {@code used_memory_functions}, {@code lazyfree_pending_objects},
 * {@code lazyfreed_objects}, {@code mem_aof_buffer}, {@code loading},
 * {@code rdb_bgsave_in_progress}, {@code aof_rewrite_in_progress}, {@code rdb_saves}.
 */
public final class InfoRegistry {
    /** When a section is part of the output. */
    public enum Kind {
        /** Part of "all"; "default" when the registration says so; or asked by name. */
        STANDARD,
        /** A module's section: with "everything", "modules", or asked by name. */
        MODULE,
        /** Only when asked by name (INFO debug). */
        EXPLICIT
    }

    private record Entry(String name, String title, Kind kind, boolean inDefault, InfoSection section,
                         List<InfoSection> extensions) {
    }

    private final Map<String, Entry> sections = new LinkedHashMap<>();
    private final Map<String, LongSupplier> gauges = new HashMap<>();
    private final Map<String, ToLongFunction<Client>> clientFields = new HashMap<>();

    /**
     * Adds a section, or replaces the body of an existing one keeping its position and extensions.
     *
     * @param name  the lowercase name INFO takes as argument
     * @param title the header, printed as "# Title"
     */
    public synchronized void register(String name, String title, Kind kind, boolean inDefault, InfoSection section) {
        String key = name.toLowerCase(Locale.ROOT);
        Entry old = sections.get(key);
        List<InfoSection> ext = old == null ? new ArrayList<>() : old.extensions();
        sections.put(key, new Entry(key, title, kind, inDefault, section, ext));
    }

    /** Removes a section (a module unloading). */
    public synchronized void unregister(String name) {
        sections.remove(name.toLowerCase(Locale.ROOT));
    }

    /** Appends more fields to an existing section (e.g. aof_* fields when AOF is on). */
    public synchronized void extend(String name, InfoSection more) {
        Entry e = sections.get(name.toLowerCase(Locale.ROOT));
        if (e == null) {
            throw new IllegalArgumentException("no INFO section " + name);
        }
        e.extensions().add(more);
    }

    public synchronized boolean has(String name) {
        return sections.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** Publishes a named figure that a section prints. */
    public void gauge(String name, LongSupplier value) {
        synchronized (gauges) {
            gauges.put(name, value);
        }
    }

    /** The current value of a gauge, or {@code fallback} when nobody published it. */
    public long gauge(String name, long fallback) {
        LongSupplier s;
        synchronized (gauges) {
            s = gauges.get(name);
        }
        return s == null ? fallback : s.getAsLong();
    }

    public long gauge(String name) {
        return gauge(name, 0);
    }

    /**
     * Publishes a per-client figure for CLIENT LIST/INFO, owned by a feature: {@code sub},
     * {@code psub}, {@code ssub} (subscription counts), {@code multi} (queued commands, -1
     * outside MULTI), {@code multi-mem}, {@code watch}, {@code redir} (tracking redirection).
     */
    public void clientField(String name, ToLongFunction<Client> value) {
        synchronized (clientFields) {
            clientFields.put(name, value);
        }
    }

    /** A per-client figure, or {@code fallback} when no feature published it. */
    public long clientField(String name, Client c, long fallback) {
        ToLongFunction<Client> f;
        synchronized (clientFields) {
            f = clientFields.get(name);
        }
        return f == null ? fallback : f.applyAsLong(c);
    }

    /** The INFO text for the arguments of INFO (section names, "all", "everything", "default"). */
    public synchronized String generate(List<String> args) {
        Set<String> asked = new LinkedHashSet<>();
        boolean all = false;
        boolean everything = false;
        if (args.isEmpty()) {
            addDefaults(asked);
        }
        for (String a : args) {
            String s = a.toLowerCase(Locale.ROOT);
            switch (s) {
                case "default" -> addDefaults(asked);
                case "all" -> all = true;
                case "everything" -> {
                    all = true;
                    everything = true;
                }
                default -> asked.add(s);
            }
        }
        boolean modulesAsked = asked.contains("modules");
        StringBuilder sb = new StringBuilder(2048);
        InfoOutput out = new InfoOutput(sb);
        int count = 0;
        for (Entry e : sections.values()) {
            boolean include = switch (e.kind()) {
                case STANDARD -> all || asked.contains(e.name())
                        || (e.name().equals("modules") && asked.contains("module_list"));
                case MODULE -> everything || modulesAsked || asked.contains(e.name());
                case EXPLICIT -> asked.contains(e.name());
            };
            if (!include) {
                continue;
            }
            if (count++ > 0) {
                sb.append("\r\n");
            }
            sb.append("# ").append(e.title()).append("\r\n");
            e.section().write(out);
            for (InfoSection x : e.extensions()) {
                x.write(out);
            }
        }
        // Sections modules write themselves come last, as in Redis: all of them with
        // "everything" or "modules", else only when a name asked for is not a known section.
        ModuleSections ms = moduleSections;
        if (ms != null) {
            boolean allModules = everything || modulesAsked;
            boolean unknownAsked = false;
            for (String a : asked) {
                if (!sections.containsKey(a) && !a.equals("module_list")) {
                    unknownAsked = true;
                    break;
                }
            }
            if (allModules || unknownAsked) {
                for (String section : ms.sections(allModules ? null : asked)) {
                    if (count++ > 0) {
                        sb.append("\r\n");
                    }
                    sb.append(section);
                }
            }
        }
        return sb.toString();
    }

    /** Sections written by module code (RedisModule_RegisterInfoFunc), titles included. */
    public interface ModuleSections {
        /**
         * @param asked the lowercase section names asked for, or null for every section
         * @return whole sections ("# title\r\n" and fields), in output order
         */
        java.util.List<String> sections(Set<String> asked);
    }

    private volatile ModuleSections moduleSections;

    /** Installs the source of module-written sections (the module host). */
    public void moduleSections(ModuleSections s) {
        moduleSections = s;
    }

    private void addDefaults(Set<String> asked) {
        for (Entry e : sections.values()) {
            if (e.inDefault()) {
                // The default set names the module list, not "modules" (which adds module sections).
                asked.add(e.name().equals("modules") ? "module_list" : e.name());
            }
        }
    }
}
