package dev.trellis.server.commands.server;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.info.MemoryStats;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.types.RedisValue;
import java.util.List;

/**
 * MEMORY USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE and HELP. Sizes are what the JVM spends:
 * byte arrays with their header and alignment, the key's entry object and its table slot.
 */
final class MemoryCommands {
    /** A KeyEntry object with compact headers and compressed references. */
    static final long ENTRY_BYTES = 40;
    /** The entry's share of the bucket array at the table's load factor. */
    static final long SLOT_BYTES = 8;

    private MemoryCommands() {
    }

    static void register(CommandTable t) {
        t.bind("memory|usage", MemoryCommands::usage);
        t.bind("memory|stats", MemoryCommands::stats);
        t.bind("memory|doctor", c -> c.reply().verbatim(doctor(c.server())));
        t.bind("memory|malloc-stats", c -> c.reply().verbatim("Stats not supported for the current allocator"));
        t.bind("memory|purge", c -> {
            purge();
            c.reply().ok();
        });
        t.bind("memory|help", c -> HelpReply.write(c, "MEMORY", List.of(
                "DOCTOR", "    Return a short report about memory use.",
                "MALLOC-STATS", "    Return allocator statistics.",
                "PURGE", "    Ask the JVM to collect garbage and give memory back.",
                "STATS", "    Return information about memory use.",
                "USAGE <key> [SAMPLES <count>]", "    Return the memory used by <key> and its value, in bytes.")));
    }

    /**
     * MEMORY PURGE: as Redis asks its allocator to return dirty pages to the system, a full
     * collection with the heap's free-space bounds narrowed for its duration, so the heap shrinks
     * to about what is live instead of keeping up to 70% free (G1's default bound), then the
     * bounds as they were: normal growth keeps its headroom.
     */
    private static void purge() {
        var vm = java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
        String min = vm.getVMOption("MinHeapFreeRatio").getValue();
        String max = vm.getVMOption("MaxHeapFreeRatio").getValue();
        try {
            vm.setVMOption("MinHeapFreeRatio", "0");
            vm.setVMOption("MaxHeapFreeRatio", "10");
            System.gc();
        } finally {
            vm.setVMOption("MaxHeapFreeRatio", max);
            vm.setVMOption("MinHeapFreeRatio", min);
        }
    }

    /** Heap bytes of a byte array of {@code len} elements (12-byte header, 8-byte alignment). */
    static long arrayBytes(long len) {
        return (12 + len + 7) & ~7L;
    }

    static long valueBytes(Object v) {
        return v instanceof byte[] b ? arrayBytes(b.length) : ((RedisValue) v).memoryUsage();
    }

    static void usage(Client c) {
        if (c.argc == 5 && c.argIs(3, "samples")) {
            long samples = c.argLong(4);
            if (samples < 0) {
                throw CommandError.SYNTAX;
            }
        } else if (c.argc != 3) {
            throw CommandError.SYNTAX;
        }
        KeyEntry e = c.db().lookup(c.arg(2));
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().integer(ENTRY_BYTES + SLOT_BYTES + arrayBytes(e.key().length) + valueBytes(e.rawValue()));
    }

    static void stats(Client c) {
        Server s = c.server();
        MemoryStats m = s.stats().memory;
        long used = m.used();
        long peak = m.peak();
        long startup = m.startup();
        long rss = MemoryStats.rss();
        long clients = 0;
        for (Client cl : s.clients().values()) {
            clients += cl.queryBufferBytes + (cl.transport() == null ? 0 : cl.transport().pendingOutputBytes());
        }
        int nonEmpty = 0;
        long keys = 0;
        long tableOverhead = 0;
        for (int i = 0; i < s.keyspace().databases(); i++) {
            Database db = s.keyspace().db(i);
            if (db.size() > 0) {
                nonEmpty++;
                keys += db.size();
            }
        }
        long overhead = Math.min(used, startup + clients);
        long dataset = used - overhead;
        long netOfStartup = used - startup;
        long active = Runtime.getRuntime().totalMemory() + m.nativeUsed();
        c.reply().map(27L + nonEmpty);
        entry(c, "peak.allocated", peak);
        entry(c, "total.allocated", used);
        entry(c, "startup.allocated", startup);
        entry(c, "replication.backlog", 0);
        entry(c, "clients.slaves", 0);
        entry(c, "clients.normal", clients);
        entry(c, "cluster.links", 0);
        entry(c, "aof.buffer", s.info().gauge("mem_aof_buffer"));
        entry(c, "lua.caches", s.info().gauge("used_memory_scripts_eval"));
        entry(c, "functions.caches", s.info().gauge("used_memory_functions"));
        for (int i = 0; i < s.keyspace().databases(); i++) {
            Database db = s.keyspace().db(i);
            if (db.size() > 0) {
                long main = (ENTRY_BYTES + SLOT_BYTES) * db.size();
                long expires = 8L * db.volatileSize();
                tableOverhead += main + expires;
                c.reply().bulk("db." + i);
                c.reply().map(2);
                entry(c, "overhead.hashtable.main", main);
                entry(c, "overhead.hashtable.expires", expires);
            }
        }
        entry(c, "overhead.total", overhead + tableOverhead);
        entry(c, "keys.count", keys);
        entry(c, "keys.bytes-per-key", keys == 0 ? 0 : netOfStartup / keys);
        entry(c, "dataset.bytes", dataset);
        doubleEntry(c, "dataset.percentage", netOfStartup <= 0 ? 0 : dataset * 100.0 / netOfStartup);
        doubleEntry(c, "peak.percentage", used * 100.0 / peak);
        entry(c, "allocator.allocated", used);
        entry(c, "allocator.active", active);
        entry(c, "allocator.resident", Math.max(rss, active));
        doubleEntry(c, "allocator-fragmentation.ratio", used == 0 ? 0 : (double) active / used);
        entry(c, "allocator-fragmentation.bytes", active - used);
        doubleEntry(c, "allocator-rss.ratio", active == 0 ? 0 : (double) Math.max(rss, active) / active);
        entry(c, "allocator-rss.bytes", Math.max(rss, active) - active);
        doubleEntry(c, "rss-overhead.ratio", Math.max(rss, active) == 0 ? 0 : (double) rss / Math.max(rss, active));
        entry(c, "rss-overhead.bytes", rss - Math.max(rss, active));
        doubleEntry(c, "fragmentation", used == 0 ? 0 : (double) rss / used);
        entry(c, "fragmentation.bytes", rss - used);
    }

    private static void entry(Client c, String name, long v) {
        c.reply().bulk(name);
        c.reply().integer(v);
    }

    private static void doubleEntry(Client c, String name, double v) {
        c.reply().bulk(name);
        c.reply().doubleValue(v);
    }

    static String doctor(Server s) {
        long used = s.stats().memory.used();
        long keys = s.keyspace().totalKeys();
        if (used < 5L * 1024 * 1024 && keys < 1000) {
            return "This instance holds very little data, so there is nothing to report about its memory yet.";
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Memory report: ").append(MemoryStats.human(used)).append(" in use (peak ")
                .append(MemoryStats.human(s.stats().memory.peak())).append(", resident ")
                .append(MemoryStats.human(MemoryStats.rss())).append(") for ").append(keys).append(" keys.\n");
        long max = s.config().maxmemory;
        if (max > 0 && used > max * 9 / 10) {
            sb.append("* Memory use is within 10% of maxmemory (").append(MemoryStats.human(max)).append(").\n");
        }
        if (sb.indexOf("*") < 0) {
            sb.append("No memory problems were detected.\n");
        }
        return sb.toString();
    }
}
