package dev.trellis.server.info;

import dev.trellis.server.Server;
import dev.trellis.server.config.Config;
import dev.trellis.server.keyspace.AccessClock;

/** INFO server: versions, process, uptime, clocks and listeners. */
final class ServerSection implements InfoSection {
    private final Server server;
    private final String os;

    ServerSection(Server server) {
        this.server = server;
        String arch = System.getProperty("os.arch", "");
        arch = switch (arch) {
            case "amd64" -> "x86_64";
            case "arm64" -> "aarch64";
            default -> arch;
        };
        os = System.getProperty("os.name", "") + " " + System.getProperty("os.version", "") + " " + arch;
    }

    private static long micros(java.time.Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }

    @Override
    public void write(InfoOutput out) {
        Config cfg = server.config();
        long nowMs = System.currentTimeMillis();
        long uptime = (nowMs - server.stats().startTimeMs) / 1000;
        String home = System.getProperty("trellis.home");
        out.field("redis_version", Server.REDIS_VERSION)
                .field("trellis_version", Server.TRELLIS_VERSION)
                .field("redis_git_sha1", "00000000")
                .field("redis_git_dirty", 0)
                .field("redis_build_id", "0")
                .field("redis_mode", "standalone")
                .field("os", os)
                .field("arch_bits", 64)
                .field("monotonic_clock", "POSIX clock_gettime")
                .field("multiplexing_api", server.net() != null ? server.net().multiplexingApi() : "epoll")
                .field("atomicvar_api", "java-atomics")
                .field("gcc_version", "0.0.0")
                .field("java_version", Runtime.version().toString())
                .field("process_id", ProcessHandle.current().pid())
                .field("process_supervised", "no")
                .field("run_id", server.runId())
                .field("tcp_port", cfg.port)
                .field("server_time_usec", micros(java.time.Instant.now()))
                .field("uptime_in_seconds", uptime)
                .field("uptime_in_days", uptime / 86400)
                .field("hz", cfg.hz)
                .field("configured_hz", cfg.hz)
                .field("lru_clock", AccessClock.lruClock())
                .field("executable", home == null ? "" : home + "/trellis-server")
                .field("config_file", cfg.configFile() == null ? "" : cfg.configFile())
                .field("io_threads_active", 0);
        if (server.shuttingDown()) {
            out.field("shutdown_in_milliseconds", 0);
        }
        if (cfg.port != 0) {
            StringBuilder l = new StringBuilder("listener0:name=tcp");
            for (String b : cfg.bind) {
                l.append(",bind=").append(b);
            }
            l.append(",port=").append(cfg.port);
            out.line(l.toString());
        }
        if (!cfg.unixSocket.isEmpty()) {
            out.line("listener1:name=unix,bind=" + cfg.unixSocket);
        }
    }
}
