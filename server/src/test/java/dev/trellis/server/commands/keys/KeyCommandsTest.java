package dev.trellis.server.commands.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.commands.string.ServerThread;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Generic key commands: events, propagation, values of other types and encodings kept across moves. */
class KeyCommandsTest {
    private static TestServer server;
    private static RespClient client;
    private static final ServerThread.EventLog events = new ServerThread.EventLog();
    private static final List<String> propagated = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        server = TestServer.start();
        client = server.client();
        ServerThread.run(server, () -> {
            server.server().keyspace().addObserver(events);
            server.server().dispatcher().addObserver((c, cmd, dirty, startMs, micros) -> {
                if (dirty) {
                    byte[][] argv = c.propagateArgv != null ? c.propagateArgv : java.util.Arrays.copyOf(c.argv, c.argc);
                    List<String> parts = new ArrayList<>();
                    for (byte[] a : argv) {
                        parts.add(new String(a));
                    }
                    propagated.add(String.join(" ", parts));
                }
            });
        });
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @BeforeEach
    void flush() {
        call("SELECT", "0");
        call("FLUSHALL");
        events.take();
        propagated.clear();
    }

    private static String call(String... args) {
        return client.call(args).toString();
    }

    @Test
    void genericCommandsFireRedisEventNames() {
        call("SET", "a", "1");
        call("RENAME", "a", "b");
        call("RENAMENX", "b", "c");
        call("EXPIRE", "c", "100");
        call("PERSIST", "c");
        call("PERSIST", "c");
        call("COPY", "c", "d", "DB", "2");
        call("MOVE", "c", "1");
        call("DEL", "c", "nokey");
        call("SELECT", "1");
        call("UNLINK", "c");
        assertThat(events.take()).containsExactly(
                "new a@0", "set a@0",
                "new b@0", "rename_from a@0", "rename_to b@0",
                "new c@0", "rename_from b@0", "rename_to c@0",
                "expire c@0",
                "persist c@0",
                "new d@2", "copy_to d@2",
                "new c@1", "move_from c@0", "move_to c@1",
                "del c@1");
    }

    @Test
    void expiresArePropagatedAsAbsoluteTimes() {
        call("SET", "k", "v");
        call("EXPIRE", "k", "100");
        call("PEXPIRE", "k", "200000");
        call("EXPIREAT", "k", "9999999999");
        call("PEXPIREAT", "k", "9999999999999");
        call("EXPIRE", "k", "100", "NX");
        call("PERSIST", "k");
        call("EXPIRE", "k", "-5");
        call("FLUSHDB");
        assertThat(propagated).hasSize(8);
        assertThat(propagated.get(1)).matches("PEXPIREAT k \\d{13}");
        assertThat(propagated.get(2)).matches("PEXPIREAT k \\d{13}");
        long at = Long.parseLong(propagated.get(1).substring("PEXPIREAT k ".length()));
        assertThat(at - System.currentTimeMillis()).isBetween(90_000L, 100_000L);
        assertThat(propagated.subList(3, 8)).containsExactly(
                "PEXPIREAT k 9999999999000", "PEXPIREAT k 9999999999999", "PERSIST k", "DEL k", "FLUSHDB");
    }

    @Test
    void valuesOfOtherTypesMoveAndCopy() {
        ServerThread.putOtherType(server, "l");
        assertThat(call("TYPE", "l")).isEqualTo("+list");
        assertThat(call("OBJECT", "ENCODING", "l")).isEqualTo("$listpack");
        assertThat(call("COPY", "l", "l2")).isEqualTo(":1");
        assertThat(call("RENAME", "l2", "l3")).isEqualTo("+OK");
        assertThat(call("MOVE", "l3", "4")).isEqualTo(":1");
        assertThat(call("SCAN", "0", "TYPE", "list")).isEqualTo("*[$0, *[$l]]");
        call("SELECT", "4");
        assertThat(call("TYPE", "l3")).isEqualTo("+list");
        boolean distinct = ServerThread.call(server, () ->
                server.server().keyspace().db(4).peek("l3".getBytes()).value()
                        != server.server().keyspace().db(0).peek("l".getBytes()).value());
        assertThat(distinct).as("COPY made a new value").isTrue();
    }

    @Test
    void encodingsTravelWithTheValue() {
        call("APPEND", "r", "1");
        call("APPEND", "r", "2");
        call("INCRBYFLOAT", "f", "5");
        call("SET", "i", "12");
        call("RENAME", "r", "r2");
        call("COPY", "f", "f2");
        call("MOVE", "i", "1");
        call("SWAPDB", "0", "1");
        assertThat(call("OBJECT", "ENCODING", "i")).isEqualTo("$int");
        call("SWAPDB", "0", "1");
        assertThat(call("OBJECT", "ENCODING", "r2")).isEqualTo("$raw");
        assertThat(call("OBJECT", "ENCODING", "f2")).isEqualTo("$embstr");
        assertThat(call("OBJECT", "ENCODING", "f")).isEqualTo("$embstr");
        // COPY duplicates the bytes: changing the copy leaves the original alone.
        call("SETRANGE", "r2", "0", "x");
        call("COPY", "r2", "r3");
        call("SETRANGE", "r3", "0", "y");
        assertThat(call("GET", "r2")).isEqualTo("$x2");
        assertThat(call("GET", "r3")).isEqualTo("$y2");
    }

    @Test
    void scanVisitsEveryKeyOnceOnAStableDatabase() {
        for (int i = 0; i < 1000; i++) {
            call("SET", "key:" + i, "v");
        }
        List<String> seen = new ArrayList<>();
        String cursor = "0";
        do {
            var r = client.call("SCAN", cursor, "COUNT", "37");
            cursor = r.get(0).text();
            r.get(1).items().forEach(v -> seen.add(v.text()));
        } while (!cursor.equals("0"));
        assertThat(seen).hasSize(1000).doesNotHaveDuplicates();
        assertThat(call("SCAN", "0", "MATCH", "key:99?", "COUNT", "10000")).startsWith("*[$0, *[");
        assertThat(client.call("SCAN", "0", "MATCH", "key:99?", "COUNT", "10000").get(1).items()).hasSize(10);
    }

    @Test
    void idleTimeCountsFromTheLastAccess() {
        call("SET", "k", "v");
        assertThat(call("OBJECT", "IDLETIME", "k")).isEqualTo(":0");
        assertThat(call("OBJECT", "FREQ", "k")).startsWith("-ERR An LFU maxmemory policy is not selected");
    }
}
