package dev.trellis.server.commands.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.commands.string.ServerThread;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.KeyspaceObserver;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys expire lazily on access and actively in the background cycle. */
class ExpiryTest {
    private TestServer server;
    private RespClient client;
    private final ServerThread.EventLog events = new ServerThread.EventLog();
    private final List<String> expiredDeletes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        server = TestServer.start();
        client = server.client();
        ServerThread.run(server, () -> {
            server.server().keyspace().addObserver(events);
            server.server().keyspace().addObserver(new KeyspaceObserver() {
                @Override
                public void keyExpired(Database db, byte[] key) {
                    expiredDeletes.add(new String(key) + "@" + db.id());
                }
            });
        });
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private String call(String... args) {
        return client.call(args).toString();
    }

    private void activeExpire(boolean on) {
        ServerThread.run(server, () -> server.server().keyspace().activeExpireEnabled(on));
    }

    @Test
    void expiredKeysDisappearOnAccess() throws InterruptedException {
        activeExpire(false);
        call("SET", "k", "v", "PX", "30");
        call("SET", "k2", "v", "PX", "30");
        call("SET", "k3", "v", "PX", "30");
        call("SET", "live", "v");
        Thread.sleep(80);
        // Still stored until something touches them.
        assertThat(call("DBSIZE")).isEqualTo(":4");
        assertThat(call("KEYS", "*")).isEqualTo("*[$live]");
        assertThat(call("DBSIZE")).isEqualTo(":4");
        assertThat(call("GET", "k")).isEqualTo("$(nil)");
        assertThat(call("TTL", "k2")).isEqualTo(":-2");
        assertThat(call("EXISTS", "k3")).isEqualTo(":0");
        assertThat(call("DBSIZE")).isEqualTo(":1");
        assertThat(events.take()).contains("expired k@0", "expired k2@0", "expired k3@0");
        assertThat(expiredDeletes).containsExactly("k@0", "k2@0", "k3@0");
    }

    @Test
    void scanAndRandomkeySkipAndDeleteExpiredKeys() throws InterruptedException {
        activeExpire(false);
        for (int i = 0; i < 20; i++) {
            call("SET", "e" + i, "v", "PX", "20");
        }
        Thread.sleep(60);
        assertThat(call("RANDOMKEY")).isEqualTo("$(nil)");
        assertThat(call("DBSIZE")).isEqualTo(":0");
        for (int i = 0; i < 20; i++) {
            call("SET", "e" + i, "v", "PX", "20");
        }
        call("SET", "live", "v");
        Thread.sleep(60);
        assertThat(call("SCAN", "0", "COUNT", "100")).isEqualTo("*[$0, *[$live]]");
        assertThat(call("DBSIZE")).isEqualTo(":1");
        assertThat(call("RANDOMKEY")).isEqualTo("$live");
    }

    @Test
    void activeCycleRemovesKeysNobodyReads() throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            call("SET", "e" + i, "v", "PX", "50");
        }
        for (int i = 0; i < 10; i++) {
            call("SET", "live" + i, "v");
        }
        call("SELECT", "3");
        call("SET", "other", "v", "PX", "50");
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && !call("DBSIZE").equals(":0")) {
            Thread.sleep(20);
        }
        assertThat(call("DBSIZE")).isEqualTo(":0");
        call("SELECT", "0");
        while (System.currentTimeMillis() < deadline && !call("DBSIZE").equals(":10")) {
            Thread.sleep(20);
        }
        assertThat(call("DBSIZE")).isEqualTo(":10");
        assertThat(expiredDeletes).hasSize(501).contains("other@3");
        assertThat(events.take().stream().filter(e -> e.startsWith("expired ")).count()).isEqualTo(501);
    }

    @Test
    void activeCycleCanBeSwitchedOff() throws InterruptedException {
        activeExpire(false);
        for (int i = 0; i < 50; i++) {
            call("SET", "e" + i, "v", "PX", "10");
        }
        Thread.sleep(300);
        assertThat(call("DBSIZE")).isEqualTo(":50");
        activeExpire(true);
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && !call("DBSIZE").equals(":0")) {
            Thread.sleep(20);
        }
        assertThat(call("DBSIZE")).isEqualTo(":0");
    }

    @Test
    void anExpireInThePastDeletesAtOnce() {
        call("SET", "k", "v");
        events.take();
        assertThat(call("EXPIRE", "k", "-1")).isEqualTo(":1");
        assertThat(call("EXISTS", "k")).isEqualTo(":0");
        assertThat(events.take()).containsExactly("del k@0", "keymiss k@0");
        assertThat(expiredDeletes).isEmpty();
    }
}
