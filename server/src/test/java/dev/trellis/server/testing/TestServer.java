package dev.trellis.server.testing;

import dev.trellis.server.Server;
import dev.trellis.server.config.Config;
import dev.trellis.server.config.ConfigLoader;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** A Trellis server started in this JVM on a free port, for integration tests. */
public final class TestServer implements AutoCloseable {
    private final Server server;
    private final int port;

    private TestServer(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts with {@code --name value} style arguments on top of test defaults; a first argument
     * not starting with "--" is a config file.
     */
    public static TestServer start(String... args) {
        // A free port may be taken by another process before we bind it (other suites run on
        // this machine): try another one.
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(args);
            } catch (IllegalStateException e) {
                if (attempt == 5 || !(e.getCause() instanceof dev.trellis.server.net.NetServer.BindFailure)
                        || List.of(args).contains("--port")) {
                    throw e;
                }
            }
        }
    }

    private static TestServer startOnce(String... args) {
        try {
            int port = freePort();
            List<String> all = new ArrayList<>();
            int first = 0;
            if (args.length > 0 && !args[0].startsWith("--")) {
                all.add(args[0]); // a config file comes first, as on redis-server's command line
                first = 1;
            }
            all.addAll(List.of("--port", Integer.toString(port), "--save", "", "--loglevel", "warning"));
            all.addAll(List.of(args).subList(first, args.length));
            Config config = new Config();
            new ConfigLoader(config).loadCommandLine(all.toArray(new String[0]), null);
            Server s = new Server(config);
            s.start();
            s.runStartupTasks();
            return new TestServer(s, s.net().boundPort());
        } catch (Exception e) {
            throw new IllegalStateException("could not start test server", e);
        }
    }

    /** Waits up to 10 s for {@code cond}, failing with {@code what} if it never holds. */
    public static void await(String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!cond.getAsBoolean()) {
            org.assertj.core.api.Assertions.assertThat(System.currentTimeMillis()).as(what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public Server server() {
        return server;
    }

    public RespClient client() {
        return RespClient.connect("127.0.0.1", port);
    }

    @Override
    public void close() {
        server.execute(() -> server.shutdown(false, true, true));
        try {
            server.awaitTermination();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
