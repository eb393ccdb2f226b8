package dev.trellis.server.commands.string;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * String commands through the wire on an in-process server: type errors against another
 * type, keyspace events, what is propagated, size limits and encodings.
 */
class StringCommandsTest {
    private static final String WRONGTYPE = "-WRONGTYPE Operation against a key holding the wrong kind of value";
    private static TestServer server;
    private static RespClient client;
    private static final ServerThread.EventLog events = new ServerThread.EventLog();
    private static final List<String> propagated = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        server = TestServer.start("--proto-max-bulk-len", "1mb");
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
        call("FLUSHALL");
        events.take();
        propagated.clear();
    }

    private static String call(String... args) {
        return client.call(args).toString();
    }

    @Test
    void everyStringCommandRefusesAnotherType() {
        ServerThread.putOtherType(server, "l");
        call("SET", "s", "abc");
        String[][] commands = {
            {"GET", "l"}, {"SET", "l", "x", "GET"}, {"GETSET", "l", "x"}, {"GETDEL", "l"}, {"GETEX", "l"},
            {"GETEX", "l", "EX", "10"}, {"APPEND", "l", "x"}, {"STRLEN", "l"}, {"GETRANGE", "l", "0", "1"},
            {"SETRANGE", "l", "0", "x"}, {"SETRANGE", "l", "0", ""}, {"INCR", "l"}, {"DECR", "l"},
            {"INCRBY", "l", "2"}, {"DECRBY", "l", "2"}, {"INCRBYFLOAT", "l", "1.5"}, {"SETBIT", "l", "0", "1"},
            {"GETBIT", "l", "0"}, {"BITCOUNT", "l"}, {"BITPOS", "l", "1"}, {"BITOP", "OR", "d", "s", "l"},
            {"BITFIELD", "l", "GET", "u8", "0"}, {"BITFIELD", "l", "SET", "u8", "0", "1"},
            {"BITFIELD_RO", "l", "GET", "u8", "0"},
        };
        for (String[] cmd : commands) {
            assertThat(call(cmd)).as(String.join(" ", cmd)).isEqualTo(WRONGTYPE);
        }
        assertThat(call("LCS", "s", "l")).isEqualTo("-ERR The specified keys must contain string values");
        assertThat(call("MGET", "s", "l")).isEqualTo("*[$abc, $(nil)]");
        // Nothing was changed by the failed writes.
        assertThat(call("TYPE", "l")).isEqualTo("+list");
        assertThat(call("EXISTS", "d")).isEqualTo(":0");
        // Plain SET, SETEX, MSET and BITOP's destination overwrite any type.
        assertThat(call("SET", "l", "v")).isEqualTo("+OK");
        assertThat(call("TYPE", "l")).isEqualTo("+string");
    }

    @Test
    void writesFireRedisEventNames() {
        call("SET", "a", "1");
        call("SET", "a", "2", "EX", "100");
        call("SET", "a", "3", "NX");
        call("APPEND", "a", "x");
        call("SETRANGE", "a", "0", "y");
        call("SETRANGE", "a", "0", "");
        call("INCR", "n");
        call("DECRBY", "n", "2");
        call("INCRBYFLOAT", "n", "1.5");
        call("SETBIT", "b", "0", "1");
        call("SETBIT", "b", "0", "1");
        call("BITFIELD", "b", "SET", "u8", "0", "1");
        call("BITOP", "NOT", "c", "b");
        call("BITOP", "AND", "c", "nokey");
        call("GETDEL", "a");
        call("MSET", "m1", "1", "m2", "2");
        call("GETSET", "m1", "x");
        call("SETEX", "e", "100", "v");
        call("GETEX", "e", "PERSIST");
        call("GETEX", "e", "PX", "100000");
        call("GETEX", "e", "EXAT", "1");
        call("GET", "missing");
        assertThat(events.take()).containsExactly(
                "new a@0", "set a@0",
                "set a@0", "expire a@0",
                "append a@0",
                "setrange a@0",
                "new n@0", "incrby n@0",
                "incrby n@0",
                "incrbyfloat n@0",
                "new b@0", "setbit b@0",
                "setbit b@0",
                "new c@0", "set c@0",
                "keymiss nokey@0", "del c@0",
                "del a@0",
                "new m1@0", "set m1@0", "new m2@0", "set m2@0",
                "set m1@0",
                "new e@0", "set e@0", "expire e@0",
                "persist e@0",
                "expire e@0",
                "del e@0",
                "keymiss missing@0");
    }

    @Test
    void commandsArePropagatedDeterministically() {
        call("SET", "k", "v", "EX", "100");
        call("SET", "k", "v", "GET");
        call("SET", "k", "w", "NX");
        call("SETEX", "k", "100", "v");
        call("GETSET", "k", "v2");
        call("INCRBYFLOAT", "f", "0.1");
        call("INCRBYFLOAT", "f", "0.2");
        call("GETEX", "k", "EX", "100");
        call("GETEX", "k", "PERSIST");
        call("GETEX", "k", "PERSIST");
        call("GETEX", "k");
        call("GETDEL", "k");
        call("SET", "k", "v");
        call("GETEX", "k", "PXAT", "1");
        assertThat(propagated).hasSize(11);
        assertThat(propagated.get(0)).matches("SET k v PXAT \\d{13}");
        assertThat(propagated.get(1)).isEqualTo("SET k v");
        assertThat(propagated.get(2)).matches("SET k v PXAT \\d{13}");
        assertThat(propagated.subList(3, 6)).containsExactly("SET k v2", "SET f 0.1 KEEPTTL", "SET f 0.3 KEEPTTL");
        assertThat(propagated.get(6)).matches("PEXPIREAT k \\d{13}");
        assertThat(propagated.subList(7, 11)).containsExactly("PERSIST k", "DEL k", "SET k v", "DEL k");
        // The absolute time is about now + the TTL.
        long at = Long.parseLong(propagated.get(0).substring("SET k v PXAT ".length()));
        assertThat(at - System.currentTimeMillis()).isBetween(90_000L, 100_000L);
    }

    @Test
    void stringsCannotGrowBeyondProtoMaxBulkLen() {
        String limit = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
        assertThat(call("SETRANGE", "k", "1048576", "x")).isEqualTo("-" + limit);
        assertThat(call("SETRANGE", "k", "1048575", "x")).isEqualTo(":1048576");
        assertThat(call("APPEND", "k", "y")).isEqualTo("-" + limit);
        assertThat(call("STRLEN", "k")).isEqualTo(":1048576");
        assertThat(call("SETBIT", "b", "8388608", "1")).isEqualTo("-ERR bit offset is not an integer or out of range");
        assertThat(call("SETBIT", "b", "8388607", "1")).isEqualTo(":0");
        assertThat(call("BITFIELD", "b", "GET", "u8", "8388608")).isEqualTo("-ERR bit offset is not an integer or out of range");
        // LCS refuses tables larger than the limit: (1024+1)^2 cells of 4 bytes exceed 1mb.
        call("SET", "x", "a".repeat(1024));
        assertThat(call("LCS", "x", "x", "LEN"))
                .isEqualTo("-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        assertThat(call("PING")).isEqualTo("+PONG");
    }

    @Test
    void encodingsFollowTheCommandThatWroteTheValue() {
        String[][] steps = {
            {"SET", "k", "123"}, {"int"},
            {"APPEND", "k", "4"}, {"raw"},
            {"INCR", "k"}, {"int"},
            {"INCRBYFLOAT", "k", "1"}, {"embstr"},
            {"SETRANGE", "k", "0", "9"}, {"raw"},
            {"SET", "k", "x".repeat(44)}, {"embstr"},
            {"SET", "k", "x".repeat(45)}, {"raw"},
            {"SETBIT", "k", "0", "1"}, {"raw"},
            {"SET", "k", "abc"}, {"embstr"},
            {"BITFIELD", "k", "GET", "u8", "0"}, {"embstr"},
            {"BITFIELD", "k", "INCRBY", "u8", "0", "0"}, {"raw"},
            {"MSET", "k", "77"}, {"int"},
            {"GETSET", "k", "99"}, {"int"},
        };
        for (int i = 0; i < steps.length; i += 2) {
            call(steps[i]);
            assertThat(call("OBJECT", "ENCODING", "k")).as(String.join(" ", steps[i])).isEqualTo("$" + steps[i + 1][0]);
        }
    }

    @Test
    void setGetWithNxReturnsTheOldValueWithoutWriting() {
        call("SET", "k", "old");
        RespValue r = client.call("SET", "k", "new", "NX", "GET");
        assertThat(r.text()).isEqualTo("old");
        assertThat(call("GET", "k")).isEqualTo("$old");
        assertThat(propagated).containsExactly("SET k old");
    }
}
