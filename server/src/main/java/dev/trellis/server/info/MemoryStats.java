package dev.trellis.server.info;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Memory figures for INFO memory, MEMORY STATS and maxmemory: what the JVM heap holds plus the
 * native memory the server allocates itself (network buffers, module allocations registered
 * with {@link #addNativeSource}). The resident set size comes from {@code /proc}.
 */
public final class MemoryStats {
    private final List<LongSupplier> nativeSources = new CopyOnWriteArrayList<>();
    private volatile long peak;
    private volatile long startup;
    private static volatile long totalSystem = -1;

    /** Adds native memory to used_memory (RedisModule_Alloc accounting, off-heap stores). */
    public void addNativeSource(LongSupplier bytes) {
        nativeSources.add(bytes);
    }

    public long heapUsed() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /** Bytes of native memory we know about: pooled network buffers and registered sources. */
    public long nativeUsed() {
        long n = 0;
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p) {
            n += p.metric().usedDirectMemory();
        }
        for (LongSupplier s : nativeSources) {
            n += s.getAsLong();
        }
        return n;
    }

    private volatile LongSupplier accounted;

    /**
     * Makes used_memory an accounted figure (eviction.MemoryMeter: dataset, keyspace tables,
     * client buffers) instead of the heap in use, which moves with garbage; registered native
     * sources (module allocations) are still added.
     */
    public void accountedSource(LongSupplier s) {
        accounted = s;
    }

    /** used_memory: the accounted figure (or heap in use) plus known native allocations; moves the peak. */
    public long used() {
        LongSupplier a = accounted;
        long u;
        if (a != null) {
            u = a.getAsLong();
            for (LongSupplier s : nativeSources) {
                u += s.getAsLong();
            }
        } else {
            u = heapUsed() + nativeUsed();
        }
        if (u > peak) {
            peak = u;
        }
        return u;
    }

    public long peak() {
        return Math.max(peak, 1);
    }

    /** Samples memory from the cron so the peak does not miss short spikes entirely. */
    public void sample() {
        used();
    }

    /** Records the memory in use once the server finished starting (used_memory_startup). */
    public void markStartup() {
        startup = used();
    }

    public long startup() {
        return startup;
    }

    public void resetPeak() {
        peak = used();
    }

    /** Resident set size of the process, or 0 when /proc is not available. */
    public static long rss() {
        return procStatusKb(Path.of("/proc/self/status"), "VmRSS:") * 1024;
    }

    /** Physical memory of the machine (MemTotal), or 0 when unknown. */
    public static long totalSystemMemory() {
        long t = totalSystem;
        if (t < 0) {
            t = procStatusKb(Path.of("/proc/meminfo"), "MemTotal:") * 1024;
            totalSystem = t;
        }
        return t;
    }

    private static long procStatusKb(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    String v = line.substring(key.length()).trim();
                    int sp = v.indexOf(' ');
                    return Long.parseLong(sp < 0 ? v : v.substring(0, sp));
                }
            }
        } catch (IOException | NumberFormatException | SecurityException e) {
            return 0;
        }
        return 0;
    }

    /** Redis's bytesToHuman: 100B, 1.50K, 2.00M, ... */
    public static String human(long n) {
        if (n < 1024) {
            return n + "B";
        }
        String[] units = {"K", "M", "G", "T", "P"};
        double d = n;
        for (String u : units) {
            d /= 1024;
            if (d < 1024 || u.equals("P")) {
                return InfoOutput.fixed2(d) + u;
            }
        }
        return n + "B";
    }
}
