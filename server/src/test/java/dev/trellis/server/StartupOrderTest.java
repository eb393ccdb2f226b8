package dev.trellis.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.config.Config;
import dev.trellis.server.config.ConfigLoader;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * No client is served before the startup tasks (module loading, opening the AOF, starting to
 * load the dataset) have run, however early it connects: otherwise a write acknowledged in
 * that gap would never reach the AOF.
 */
class StartupOrderTest {
    @Test
    void clientsConnectingAtOnceAreServedOnlyAfterTheStartupTasks() throws Exception {
        int port = TestServer.freePort();
        Config config = new Config();
        new ConfigLoader(config).loadCommandLine(new String[] {"--port", Integer.toString(port), "--save", "",
                "--loglevel", "warning"}, null);
        Server server = new Server(config);
        AtomicLong connectionsSeenByTask = new AtomicLong(-1);
        server.addStartupTask(() -> {
            try {
                Thread.sleep(300); // a slow module OnLoad, say
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            connectionsSeenByTask.set(server.stats().totalConnections);
        });
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong pongs = new AtomicLong();
        Thread knocker = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                try (RespClient c = RespClient.connect("127.0.0.1", port)) {
                    if ("PONG".equals(c.call("PING").text())) {
                        pongs.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    Thread.onSpinWait(); // not listening yet
                }
            }
        });
        try {
            server.start();
            server.runStartupTasks();
            assertThat(connectionsSeenByTask.get()).isZero();
            long deadline = System.currentTimeMillis() + 10_000;
            while (pongs.get() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertThat(pongs.get()).isPositive();
        } finally {
            stop.set(true);
            knocker.join();
            server.shutdown(false, true, true);
            server.awaitTermination();
        }
    }
}
