package dev.trellis.server.info;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;

/**
 * INFO memory. used_memory is the JVM heap in use plus the native memory we account for
 * (network buffers, module allocations); the allocator figures are the heap's committed and
 * reserved sizes, since the JVM is our allocator.
 */
final class MemorySection implements InfoSection {
    private final Server server;

    MemorySection(Server server) {
        this.server = server;
    }

    @Override
    public void write(InfoOutput out) {
        MemoryStats m = server.stats().memory;
        InfoRegistry g = server.info();
        long used = m.used();
        long peak = m.peak();
        long rss = MemoryStats.rss();
        long startup = m.startup();
        long clientsNormal = 0;
        for (Client c : server.clients().values()) {
            clientsNormal += c.queryBufferBytes + (c.transport() == null ? 0 : c.transport().pendingOutputBytes());
        }
        long overhead = Math.min(used, startup + clientsNormal);
        long dataset = used - overhead;
        long netOfStartup = used - startup;
        Runtime rt = Runtime.getRuntime();
        long allocated = used;
        long active = rt.totalMemory() + m.nativeUsed();
        long resident = Math.max(rss, active);
        long system = MemoryStats.totalSystemMemory();
        long evalMem = g.gauge("used_memory_vm_eval");
        long scriptsEval = g.gauge("used_memory_scripts_eval");
        long vmFunctions = g.gauge("used_memory_vm_functions");
        long functions = g.gauge("used_memory_functions");
        long maxmemory = server.config().maxmemory;
        out.field("used_memory", used)
                .field("used_memory_human", MemoryStats.human(used))
                .field("used_memory_rss", rss)
                .field("used_memory_rss_human", MemoryStats.human(rss))
                .field("used_memory_peak", peak)
                .field("used_memory_peak_human", MemoryStats.human(peak))
                .percent("used_memory_peak_perc", used * 100.0 / peak)
                .field("used_memory_overhead", overhead)
                .field("used_memory_startup", startup)
                .field("used_memory_dataset", dataset)
                .percent("used_memory_dataset_perc", netOfStartup <= 0 ? 0 : dataset * 100.0 / netOfStartup)
                .field("used_memory_heap", m.heapUsed())
                .field("used_memory_native", m.nativeUsed())
                .field("allocator_allocated", allocated)
                .field("allocator_active", active)
                .field("allocator_resident", resident)
                .field("total_system_memory", system)
                .field("total_system_memory_human", MemoryStats.human(system))
                .field("used_memory_lua", evalMem)
                .field("used_memory_vm_eval", evalMem)
                .field("used_memory_lua_human", MemoryStats.human(evalMem))
                .field("used_memory_scripts_eval", scriptsEval)
                .field("number_of_cached_scripts", g.gauge("number_of_cached_scripts"))
                .field("number_of_functions", g.gauge("number_of_functions"))
                .field("number_of_libraries", g.gauge("number_of_libraries"))
                .field("used_memory_vm_functions", vmFunctions)
                .field("used_memory_vm_total", vmFunctions + evalMem)
                .field("used_memory_vm_total_human", MemoryStats.human(vmFunctions + evalMem))
                .field("used_memory_functions", functions)
                .field("used_memory_scripts", scriptsEval + functions)
                .field("used_memory_scripts_human", MemoryStats.human(scriptsEval + functions))
                .field("maxmemory", maxmemory)
                .field("maxmemory_human", MemoryStats.human(maxmemory))
                .field("maxmemory_policy", server.config().maxmemoryPolicy)
                .fixed2("allocator_frag_ratio", ratio(active, allocated))
                .field("allocator_frag_bytes", active - allocated)
                .fixed2("allocator_rss_ratio", ratio(resident, active))
                .field("allocator_rss_bytes", resident - active)
                .fixed2("rss_overhead_ratio", ratio(rss, resident))
                .field("rss_overhead_bytes", rss - resident)
                .fixed2("mem_fragmentation_ratio", ratio(rss, used))
                .field("mem_fragmentation_bytes", rss - used)
                .field("mem_not_counted_for_evict", g.gauge("mem_aof_buffer"))
                .field("mem_replication_backlog", 0)
                .field("mem_total_replication_buffers", 0)
                .field("mem_clients_slaves", 0)
                .field("mem_clients_normal", clientsNormal)
                .field("mem_cluster_links", 0)
                .field("mem_aof_buffer", g.gauge("mem_aof_buffer"))
                .field("mem_allocator", "jvm")
                .field("active_defrag_running", 0)
                .field("lazyfree_pending_objects", g.gauge("lazyfree_pending_objects"))
                .field("lazyfreed_objects", g.gauge("lazyfreed_objects"));
    }

    private static double ratio(long a, long b) {
        return b <= 0 ? 0 : (double) a / b;
    }
}
