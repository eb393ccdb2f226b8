package dev.trellis.server.info;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of the process and of the calling thread, read from {@code /proc} (utime and stime
 * in clock ticks), formatted as Redis's {@code seconds.micros}.
 */
public final class CpuUsage {
    /** USER_HZ on Linux: /proc reports times in 1/100 s. */
    private static final long TICKS_PER_SECOND = 100;

    private CpuUsage() {
    }

    /** {user, system} CPU microseconds of the process. */
    public static long[] process() {
        long[] t = read(Path.of("/proc/self/stat"));
        if (t == null) {
            long total = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1000).orElse(0L);
            return new long[] {total, 0};
        }
        return t;
    }

    /** {user, system} CPU microseconds of the calling thread. */
    public static long[] currentThread() {
        long[] t = read(Path.of("/proc/thread-self/stat"));
        return t == null ? new long[] {0, 0} : t;
    }

    private static long[] read(Path p) {
        try {
            String s = Files.readString(p);
            // The command name is in parentheses and may hold spaces: fields start after ')'.
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
            // After ')' the fields are: state(3) ppid(4) ... utime(14) stime(15).
            long utime = Long.parseLong(f[11]);
            long stime = Long.parseLong(f[12]);
            return new long[] {utime * 1_000_000 / TICKS_PER_SECOND, stime * 1_000_000 / TICKS_PER_SECOND};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Microseconds as {@code seconds.micros} with six digits. */
    public static String format(long micros) {
        return (micros / 1_000_000) + "." + String.format("%06d", micros % 1_000_000);
    }
}
