package dev.trellis.server.commands.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stream behaviours of Redis 7.2 that the 7.0 reference server cannot check (consumer
 * creation and activity times, XSETID's max-deleted check, error texts), RESP3 reply shapes,
 * and XREAD/XREADGROUP BLOCK.
 */
class StreamCommandsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void flush() {
        try (RespClient c = server.client()) {
            c.call("FLUSHALL");
        }
    }

    /** The value after {@code field} in a RESP2 map reply (flat array). */
    private static RespValue field(RespValue map, String field) {
        for (int i = 0; i < map.items().size(); i += 2) {
            if (field.equals(map.get(i).text())) {
                return map.get(i + 1);
            }
        }
        throw new AssertionError("no field " + field + " in " + map);
    }

    @Test
    void xreadgroupCreatesTheConsumerEvenWithNothingToRead() {
        try (RespClient c = server.client()) {
            c.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            assertThat(c.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">").isNull()).isTrue();
            RespValue consumers = c.call("XINFO", "CONSUMERS", "s", "g");
            assertThat(consumers.items()).hasSize(1);
            RespValue alice = consumers.get(0);
            assertThat(alice.items()).hasSize(8);
            assertThat(field(alice, "name").text()).isEqualTo("alice");
            assertThat(field(alice, "pending").asLong()).isZero();
            assertThat(field(alice, "idle").asLong()).isBetween(0L, 5000L);
            assertThat(field(alice, "inactive").asLong()).isEqualTo(-1);
        }
    }

    @Test
    void activeTimeFollowsSuccessfulReadsAndClaims() {
        try (RespClient c = server.client()) {
            c.call("XADD", "s", "1-0", "a", "1");
            c.call("XGROUP", "CREATE", "s", "g", "0");
            c.call("XGROUP", "CREATECONSUMER", "s", "g", "bob");
            RespValue full = c.call("XINFO", "STREAM", "s", "FULL");
            RespValue bob = field(field(full, "groups").get(0), "consumers").get(0);
            assertThat(field(bob, "active-time").asLong()).isEqualTo(-1);
            long before = System.currentTimeMillis();
            c.call("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">");
            full = c.call("XINFO", "STREAM", "s", "FULL");
            bob = field(field(full, "groups").get(0), "consumers").get(0);
            assertThat(field(bob, "active-time").asLong()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
            assertThat(field(bob, "seen-time").asLong()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
            RespValue consumers = c.call("XINFO", "CONSUMERS", "s", "g");
            assertThat(field(consumers.get(0), "inactive").asLong()).isBetween(0L, 5000L);
            // XCLAIM creates its consumer up front, even when it claims nothing.
            assertThat(c.call("XCLAIM", "s", "g", "carol", "100000000", "1-0").items()).isEmpty();
            assertThat(c.call("XINFO", "CONSUMERS", "s", "g").items()).hasSize(2);
            assertThat(c.call("XAUTOCLAIM", "s", "g", "dave", "100000000", "0").get(1).items()).isEmpty();
            assertThat(c.call("XINFO", "CONSUMERS", "s", "g").items()).hasSize(3);
        }
    }

    @Test
    void xsetidRefusesAnIdBelowTheMaxDeletedId() {
        try (RespClient c = server.client()) {
            c.call("XADD", "s", "1-0", "a", "1");
            c.call("XADD", "s", "5-0", "a", "1");
            c.call("XDEL", "s", "5-0");
            assertThat(c.call("XSETID", "s", "3-0").text())
                    .isEqualTo("ERR The ID specified in XSETID is smaller than current max_deleted_entry_id");
            assertThat(c.call("XSETID", "s", "5-0").text()).isEqualTo("OK");
            assertThat(c.call("XSETID", "s", "6-0", "MAXDELETEDID", "7-0").text())
                    .isEqualTo("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
            assertThat(c.call("XSETID", "s", "9-0", "ENTRIESADDED", "1", "MAXDELETEDID", "7-0").text()).isEqualTo("OK");
            RespValue info = c.call("XINFO", "STREAM", "s");
            assertThat(field(info, "max-deleted-entry-id").text()).isEqualTo("7-0");
            assertThat(field(info, "entries-added").asLong()).isEqualTo(1);
            assertThat(c.call("XSETID", "nokey", "1-0").text()).isEqualTo("ERR no such key");
        }
    }

    @Test
    void unbalancedStreamListsNameTheCommand() {
        try (RespClient c = server.client()) {
            assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", "b", ">").text()).isEqualTo(
                    "ERR Unbalanced 'xreadgroup' list of streams: for each stream key an ID or '>' must be specified.");
            assertThat(c.call("XREAD", "STREAMS", "a", "b", "$").text()).isEqualTo(
                    "ERR Unbalanced 'xread' list of streams: for each stream key an ID or '$' must be specified.");
        }
    }

    @Test
    void resp3RepliesUseMapsAndNulls() {
        try (RespClient c = server.client()) {
            c.call("HELLO", "3");
            c.call("XADD", "s", "1-0", "a", "1");
            RespValue r = c.call("XREAD", "STREAMS", "s", "0");
            assertThat(r.type()).isEqualTo('%');
            assertThat(r.toString()).isEqualTo("%[$s, *[*[$1-0, *[$a, $1]]]]");
            assertThat(c.call("XREAD", "STREAMS", "s", "$").type()).isEqualTo('_');
            RespValue info = c.call("XINFO", "STREAM", "s");
            assertThat(info.type()).isEqualTo('%');
            c.call("XGROUP", "CREATE", "s", "g", "0");
            assertThat(c.call("XPENDING", "s", "g").toString()).isEqualTo("*[:0, _(nil), _(nil), _(nil)]");
            c.call("XDEL", "s", "1-0");
            assertThat(c.call("XINFO", "STREAM", "s").toString()).contains("$first-entry, _(nil), $last-entry, _(nil)");
        }
    }

    @Test
    void xreadBlockIsServedByAnXaddFromAnotherClient() throws Exception {
        try (RespClient waiting = server.client(); RespClient writer = server.client()) {
            writer.call("XADD", "s", "1-0", "a", "1");
            waiting.send(bytes("XREAD", "BLOCK", "0", "STREAMS", "s", "other", "$", "$"));
            awaitBlocked(1);
            writer.call("XADD", "other", "1-0", "x", "y");
            writer.call("XADD", "s", "2-0", "b", "2");
            assertThat(waiting.read().toString()).isEqualTo("*[*[$other, *[*[$1-0, *[$x, $y]]]]]");
            assertThat(waiting.call("PING").text()).isEqualTo("PONG");
        }
    }

    @Test
    void xreadBlockTimesOutWithANullArray() {
        try (RespClient c = server.client()) {
            long t0 = System.nanoTime();
            assertThat(c.call("XREAD", "BLOCK", "100", "STREAMS", "s", "$").toString()).isEqualTo("*(nil)");
            assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(95);
            assertThat(c.call("XREAD", "BLOCK", "-1", "STREAMS", "s", "$").text()).isEqualTo("ERR timeout is negative");
            assertThat(c.call("XREAD", "BLOCK", "x", "STREAMS", "s", "$").text())
                    .isEqualTo("ERR timeout is not an integer or out of range");
            c.call("MULTI");
            c.call("XREAD", "BLOCK", "0", "STREAMS", "s", "$");
            assertThat(c.call("EXEC").toString()).isEqualTo("*[*(nil)]");
        }
    }

    @Test
    void xreadgroupBlockDeliversNewEntriesAndFailsWhenTheGroupGoes() throws Exception {
        try (RespClient waiting = server.client(); RespClient writer = server.client()) {
            writer.call("XGROUP", "CREATE", "s", "g", "$", "MKSTREAM");
            waiting.send(bytes("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"));
            awaitBlocked(1);
            writer.call("XADD", "s", "1-0", "a", "1");
            assertThat(waiting.read().toString()).isEqualTo("*[*[$s, *[*[$1-0, *[$a, $1]]]]]");
            assertThat(writer.call("XPENDING", "s", "g").toString()).isEqualTo("*[:1, $1-0, $1-0, *[*[$alice, $1]]]");

            waiting.send(bytes("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"));
            awaitBlocked(1);
            writer.call("XGROUP", "DESTROY", "s", "g");
            assertThat(waiting.read().text()).isEqualTo(
                    "NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option");

            writer.call("XGROUP", "CREATE", "s", "g", "$");
            waiting.send(bytes("XREADGROUP", "GROUP", "g", "alice", "BLOCK", "0", "STREAMS", "s", ">"));
            awaitBlocked(1);
            writer.call("DEL", "s");
            assertThat(waiting.read().text()).isEqualTo(
                    "NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option");
        }
    }

    private static void awaitBlocked(int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (server.server().blocking().blockedClients() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(2);
        }
        assertThat(server.server().blocking().blockedClients()).isEqualTo(n);
    }

    private static byte[][] bytes(String... args) {
        return List.of(args).stream().map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }
}
