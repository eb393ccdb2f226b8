package dev.trellis.server;

import dev.trellis.server.config.Config;
import dev.trellis.server.config.ConfigLoader;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.net.NetServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Command-line entry point with redis-server's arguments: {@code [config-file] [--name value ...]}. */
public final class Main {
    private Main() {
    }

    /**
     * Time since this process started, launcher script included (the JVM replaced it with exec).
     * Read from /proc in clock ticks since boot: ProcessHandle's start instant is built on the
     * boot time in whole seconds, so it was off by up to a second. Falls back to the JVM's start.
     */
    static long millisSinceProcessStart() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startTicks = Long.parseLong(f[19]); // field 22: starttime, in USER_HZ (100) ticks
            String uptime = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime"));
            double up = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
            return Math.max(0, Math.round(up * 1000) - startTicks * 10);
        } catch (IOException | RuntimeException e) {
            return System.currentTimeMillis() - java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-v"))) {
            System.out.println("Redis server v=" + Server.REDIS_VERSION + " sha=00000000:0 malloc=jvm bits=64 build=trellis-"
                    + Server.TRELLIS_VERSION);
            return;
        }
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            usage();
            System.exit(1); // as redis-server
        }
        if (args.length >= 1 && args[0].equals("--test-memory")) {
            System.err.println("--test-memory is not supported by Trellis");
            System.exit(1);
        }
        ServerLog log = ServerLog.get();
        Config config = new Config();
        try {
            String stdin = null;
            for (String a : args) {
                if (a.equals("-")) {
                    stdin = new String(System.in.readAllBytes(), StandardCharsets.ISO_8859_1);
                }
            }
            new ConfigLoader(config).loadCommandLine(args, stdin);
        } catch (ConfigLoader.FatalConfigError e) {
            System.err.println();
            System.err.println("*** FATAL CONFIG FILE ERROR (Redis " + Server.REDIS_VERSION + ") ***");
            System.err.println("Reading the configuration file, at line " + e.lineNumber);
            System.err.println(">>> '" + e.line + "'");
            System.err.println(e.reason);
            System.exit(1);
        } catch (IOException e) {
            log.warning("Fatal error, can't open config file '" + args[0] + "': " + reason(e));
            System.exit(1);
        }
        try {
            log.file(inDir(config.logFile, config.dir));
        } catch (IOException e) {
            System.err.println("Can't open the log file: " + e.getMessage());
            System.exit(1);
        }
        log.level(ServerLog.parseLevel(config.logLevel));
        long pid = ProcessHandle.current().pid();
        log.role('C');
        log.notice("oO0OoO0OoO0Oo Trellis is starting oO0OoO0OoO0Oo");
        log.notice("Trellis version=" + Server.TRELLIS_VERSION + ", Redis version=" + Server.REDIS_VERSION
                + ", bits=64, commit=00000000, modified=0, pid=" + pid + ", just started");
        if (args.length == 0) {
            log.warning("Warning: no config file specified, using the default config. In order to specify a config "
                    + "file use ./trellis-server /path/to/redis.conf");
        } else {
            log.notice("Configuration loaded");
        }
        if (config.daemonize) {
            log.warning("daemonize yes is not supported by Trellis: running in the foreground");
        }
        log.role('M');
        Server server;
        try {
            server = new Server(config);
            log.notice("Trellis " + Server.TRELLIS_VERSION + " (Redis " + Server.REDIS_VERSION + " compatible) Running mode=standalone, port="
                    + config.port + ". PID: " + pid);
            server.start();
        } catch (NetServer.BindFailure e) {
            log.warning(e.getMessage());
            System.exit(1);
            return;
        }
        writePidFile(config);
        installSignalHandlers(server);
        try {
            server.runStartupTasks();
        } catch (java.util.concurrent.ExecutionException e) {
            // A startup task failed (e.g. a corrupt dataset): the reason was logged; exit as Redis does.
            System.exit(1);
        }
        if (!server.shuttingDown()) { // not shut down while loading
            log.notice("Startup took " + millisSinceProcessStart() + " ms");
            log.notice("Ready to accept connections tcp");
            if (!config.unixSocket.isEmpty()) {
                log.notice("Ready to accept connections unix");
            }
        }
        server.awaitTermination();
        deletePidFile(config);
        log.warning("Trellis is now ready to exit, bye bye...");
        System.exit(server.exitCode());
    }

    private static void usage() {
        System.err.println("Usage: ./trellis-server [/path/to/redis.conf] [options] [-]");
        System.err.println("       ./trellis-server - (read config from stdin)");
        System.err.println("       ./trellis-server -v or --version");
        System.err.println("       ./trellis-server -h or --help");
        System.err.println("       ./trellis-server --test-memory <megabytes> (not supported)");
        System.err.println();
        System.err.println("Examples:");
        System.err.println("       ./trellis-server (run the server with default conf)");
        System.err.println("       ./trellis-server /etc/redis/6379.conf");
        System.err.println("       ./trellis-server --port 7777");
        System.err.println("       ./trellis-server /etc/myredis.conf --loglevel verbose -");
        System.err.println("       ./trellis-server --loadmodule /path/to/module.so arg1 arg2");
    }

    private static void writePidFile(Config config) {
        if (config.pidFile.isEmpty()) {
            return;
        }
        try {
            Files.writeString(Path.of(config.pidFile), ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            ServerLog.get().warning("Failed to write PID file: " + e.getMessage());
        }
    }

    /** strerror-like text for a failed file operation. */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        return e.getMessage();
    }

    private static void deletePidFile(Config config) {
        if (!config.pidFile.isEmpty()) {
            ServerLog.get().notice("Removing the pid file.");
            try {
                Files.deleteIfExists(Path.of(config.pidFile));
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    @SuppressWarnings("restriction")
    private static void installSignalHandlers(Server server) {
        for (String sig : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> {
                    ServerLog.get().warning("Received SIG" + sig + " scheduling shutdown...");
                    server.execute(() -> server.shutdownFromSignal(sig));
                });
            } catch (IllegalArgumentException e) {
                ServerLog.get().warning("Cannot handle SIG" + sig + ": " + e.getMessage());
            }
        }
    }

    /**
     * A path from the configuration as redis-server opens it: relative to {@code dir}, because
     * Redis changes into that directory while it loads its configuration (a test harness such
     * as RLTest passes {@code --dir D --logfile name.log} and reads {@code D/name.log}).
     */
    static String inDir(String path, String dir) {
        if (path.isEmpty() || dir.isEmpty() || Path.of(path).isAbsolute()) {
            return path;
        }
        return Path.of(dir).resolve(path).toString();
    }
}
