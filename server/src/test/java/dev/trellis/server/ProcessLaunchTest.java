package dev.trellis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher and the process as tools and test harnesses see them: arguments, log lines,
 * exit codes, pid file, signals. Each test starts a JVM, so the cases are few and combined.
 */
class ProcessLaunchTest {
    /** Generous: these machines are shared and a JVM start can take seconds under load. */
    private static final long START_MS = 60_000;

    @TempDir
    Path dir;

    @Test
    void versionAndHelp() throws Exception {
        try (LaunchedServer v = LaunchedServer.start(dir, null, "--version")) {
            assertThat(v.awaitExit(START_MS)).isZero();
            assertThat(v.out()).startsWith("Redis server v=7.2.4 sha=00000000:0 malloc=jvm bits=64 build=trellis-");
        }
        try (LaunchedServer h = LaunchedServer.start(dir, null, "--help")) {
            assertThat(h.awaitExit(START_MS)).isEqualTo(1);
            assertThat(h.err()).contains("Usage: ./trellis-server [/path/to/redis.conf] [options] [-]");
        }
    }

    @Test
    void startsLogsWritesPidFileAndStopsOnSigterm() throws Exception {
        int port = TestServer.freePort();
        Path log = dir.resolve("server.log");
        Path pidFile = dir.resolve("server.pid");
        Files.writeString(log, "existing line\n");
        try (LaunchedServer s = LaunchedServer.start(dir, null, "--port", Integer.toString(port),
                "--logfile", log.toString(), "--pidfile", pidFile.toString(), "--save", "")) {
            assertThat(s.awaitText(log, "Ready to accept connections tcp", START_MS)).as(s.err()).isTrue();
            long pid = s.process.pid(); // the launcher execs the JVM: the pid a tool started is the server's
            String text = Files.readString(log);
            assertThat(text).startsWith("existing line\n"); // logfile is appended to
            assertThat(text).contains(" PID: " + pid, "Server initialized", "Startup took ");
            assertThat(text).containsPattern(pid + ":M \\d\\d \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\* Server initialized");
            assertThat(Files.readString(pidFile).strip()).isEqualTo(Long.toString(pid));
            // Connections open, and some just closed, when the signal arrives: the loop ends
            // cleanly with them (no transport complaint on stderr).
            java.util.List<RespClient> open = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                RespClient c = RespClient.connect("127.0.0.1", port);
                assertThat(c.call("PING").text()).isEqualTo("PONG");
                open.add(c);
            }
            for (int i = 0; i < 10; i++) {
                open.remove(0).close();
            }
            long sent = System.nanoTime();
            s.process.toHandle().destroy(); // SIGTERM
            assertThat(s.awaitExit(10_000)).isZero();
            assertThat((System.nanoTime() - sent) / 1_000_000).isLessThan(5_000);
            assertThat(Files.readString(log)).contains("Received SIGTERM scheduling shutdown...", "ready to exit");
            assertThat(pidFile).doesNotExist();
            assertThat(s.err()).doesNotContain("Exception", "WARNING");
            for (RespClient c : open) {
                c.close();
            }
        }
    }

    @Test
    void sigtermWhileLoadingExitsAtOnce() throws Exception {
        // A dataset that takes minutes to load at one key per millisecond (key-load-delay).
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--save", "", "--enable-debug-command", "yes"); RespClient c = t.client()) {
            assertThat(c.call("DEBUG", "POPULATE", "200000").text()).isEqualTo("OK");
            assertThat(c.call("SAVE").text()).isEqualTo("OK");
        }
        int port = TestServer.freePort();
        // A relative logfile lands in dir, wherever the process started, as Redis (which changes
        // into dir while loading its configuration) puts it: test harnesses read it there.
        Path log = dir.resolve("loading.log");
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        try (LaunchedServer s = LaunchedServer.start(elsewhere, null, "--port", Integer.toString(port), "--logfile",
                "loading.log", "--dir", dir.toString(), "--key-load-delay", "1000", "--save", "3600 1")) {
            assertThat(s.awaitText(log, "Loading RDB produced by", START_MS)).as(s.err()).isTrue();
            TestServer.await("listening while loading", () -> {
                try (RespClient c = RespClient.connect("127.0.0.1", port)) {
                    return c.infoField("persistence", "loading").equals("1");
                } catch (java.io.UncheckedIOException e) {
                    return false; // not listening yet
                }
            });
            Thread.sleep(1000); // the signal handlers are installed just after the listeners start
            long sent = System.nanoTime();
            s.process.toHandle().destroy(); // SIGTERM
            assertThat(s.awaitExit(10_000)).isZero();
            assertThat((System.nanoTime() - sent) / 1_000_000).isLessThan(5_000);
            assertThat(Files.readString(log)).contains("Received SIGTERM scheduling shutdown...", "ready to exit")
                    .doesNotContain("Ready to accept connections", "Saving the final RDB snapshot");
        }
    }

    @Test
    void failsWhenThePortIsBusy() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.setReuseAddress(false);
            busy.bind(new java.net.InetSocketAddress("0.0.0.0", 0));
            int port = busy.getLocalPort();
            try (LaunchedServer s = LaunchedServer.start(dir, null, "--port", Integer.toString(port), "--bind", "0.0.0.0")) {
                assertThat(s.awaitExit(START_MS)).isEqualTo(1);
                assertThat(s.out()).contains("Could not create server TCP listening socket 0.0.0.0:" + port
                        + ": bind: Address already in use", "Failed listening on port " + port + " (tcp), aborting.");
            }
        }
    }

    @Test
    void badDirectiveIsAFatalConfigError() throws Exception {
        Path conf = dir.resolve("bad.conf");
        Files.writeString(conf, "# comment\nport 7777\nfrobnicate yes\n");
        try (LaunchedServer s = LaunchedServer.start(dir, null, conf.toString())) {
            assertThat(s.awaitExit(START_MS)).isEqualTo(1);
            assertThat(s.err()).isEqualTo("\n*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***\n"
                    + "Reading the configuration file, at line 3\n>>> 'frobnicate yes'\n"
                    + "Bad directive or wrong number of arguments\n");
        }
        try (LaunchedServer s = LaunchedServer.start(dir, null, "--maxmemory", "lots")) {
            assertThat(s.awaitExit(START_MS)).isEqualTo(1);
            assertThat(s.err()).contains(">>> 'maxmemory \"lots\"'", "argument must be a memory value");
        }
        try (LaunchedServer s = LaunchedServer.start(dir, null, dir.resolve("missing.conf").toString())) {
            assertThat(s.awaitExit(START_MS)).isEqualTo(1);
            assertThat(s.out()).contains("Fatal error, can't open config file '" + dir.resolve("missing.conf")
                    + "': No such file or directory");
        }
    }

    @Test
    void readsConfigFromStdinAndShutsDownOnCommand() throws Exception {
        int port = TestServer.freePort();
        try (LaunchedServer s = LaunchedServer.start(dir, "port " + port + "\nsave \"\"\n", "-", "--loglevel", "notice")) {
            assertThat(s.awaitText(s.stdout, "Ready to accept connections tcp", START_MS)).as(s.err()).isTrue();
            try (RespClient c = RespClient.connect("127.0.0.1", port)) {
                assertThat(c.call("CONFIG", "GET", "loglevel").get(1).text()).isEqualTo("notice");
                c.send("SHUTDOWN".getBytes(), "NOSAVE".getBytes());
                assertThat(c.isClosedByServer()).isTrue();
            }
            assertThat(s.awaitExit(10_000)).isZero();
            assertThat(s.out()).contains("User requested shutdown...", "ready to exit");
        }
    }
}
