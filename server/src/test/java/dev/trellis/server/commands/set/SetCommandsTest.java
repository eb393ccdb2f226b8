package dev.trellis.server.commands.set;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.commands.list.ServerProbe;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Set behaviour the 7.0 reference cannot check: 7.2 encodings (intset, listpack, hashtable)
 * through OBJECT ENCODING, events, SPOP propagation, RESP3 set replies.
 */
class SetCommandsTest {
    private static TestServer server;
    private static ServerProbe probe;
    private static RespClient c;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        probe = new ServerProbe(server);
        c = server.client();
    }

    @AfterAll
    static void stop() {
        c.close();
        server.close();
    }

    @BeforeEach
    void reset() {
        c.call("FLUSHALL");
        c.call("CONFIG", "SET", "set-max-intset-entries", "512", "set-max-listpack-entries", "128",
                "set-max-listpack-value", "64");
        probe.takeEvents();
        probe.takePropagated();
        probe.takeStream();
    }

    private static String call(String... args) {
        return c.call(args).toString();
    }

    private static String encoding(String key) {
        return c.call("OBJECT", "ENCODING", key).text();
    }

    @Test
    void encodingsFollowTheLimits() {
        call("SADD", "s", "1", "2", "3");
        assertThat(encoding("s")).isEqualTo("intset");
        call("SADD", "s", "abc");
        assertThat(encoding("s")).isEqualTo("listpack");
        call("SADD", "s", "x".repeat(65));
        assertThat(encoding("s")).isEqualTo("hashtable");
        call("SREM", "s", "x".repeat(65), "abc");
        assertThat(encoding("s")).isEqualTo("hashtable"); // no conversion back

        for (int i = 0; i < 512; i++) {
            call("SADD", "ints", Integer.toString(i));
        }
        assertThat(encoding("ints")).isEqualTo("intset");
        call("SADD", "ints", "512");
        assertThat(encoding("ints")).isEqualTo("hashtable");

        List<String> args = new ArrayList<>(List.of("SADD", "many"));
        for (int i = 0; i < 129; i++) {
            args.add("m" + i);
        }
        call(args.toArray(new String[0]));
        assertThat(encoding("many")).isEqualTo("hashtable"); // size hint past 128 converts at once
        call("SADD", "strs", "a", "b");
        assertThat(encoding("strs")).isEqualTo("listpack");

        call("CONFIG", "SET", "set-max-intset-entries", "2", "set-max-listpack-entries", "3");
        call("SADD", "small", "1", "2");
        assertThat(encoding("small")).isEqualTo("intset");
        call("SADD", "small", "3");
        assertThat(encoding("small")).isEqualTo("hashtable");
        call("SADD", "lp", "a", "b", "c");
        assertThat(encoding("lp")).isEqualTo("listpack");
        call("SADD", "lp", "d");
        assertThat(encoding("lp")).isEqualTo("hashtable");
    }

    @Test
    void storeResultsOfIntegersBecomeIntsets() {
        call("SADD", "a", "1", "2", "3", "x");
        call("SADD", "b", "2", "3", "4", "x");
        assertThat(call("SINTERSTORE", "d", "a", "b")).isEqualTo(":3");
        assertThat(encoding("d")).isEqualTo("listpack");
        call("SREM", "a", "x");
        assertThat(call("SINTERSTORE", "d", "a", "b")).isEqualTo(":2");
        assertThat(encoding("d")).isEqualTo("intset");
        assertThat(call("SMEMBERS", "d")).isEqualTo("*[$2, $3]");
        assertThat(call("SUNIONSTORE", "u", "a", "b")).isEqualTo(":5");
        assertThat(encoding("u")).isEqualTo("listpack");
        call("SREM", "b", "x");
        call("SUNIONSTORE", "u", "a", "b");
        assertThat(encoding("u")).isEqualTo("intset");
        assertThat(call("SMEMBERS", "u")).isEqualTo("*[$1, $2, $3, $4]");
    }

    @Test
    void eventsNameEachChange() {
        call("SADD", "s", "a", "b", "c");
        call("SADD", "s", "a");
        call("SREM", "s", "zz");
        call("SREM", "s", "a");
        call("SMOVE", "s", "t", "b");
        call("SMOVE", "s", "t", "c");
        assertThat(probe.takeEvents()).containsExactly("sadd s", "srem s", "srem s", "sadd t", "srem s", "del s", "sadd t");
        call("SADD", "u", "b", "z");
        call("SINTERSTORE", "i", "t", "u");
        call("SUNIONSTORE", "un", "t", "u");
        call("SDIFFSTORE", "d", "t", "u");
        call("SDIFFSTORE", "d", "t", "t");
        call("SINTERSTORE", "i", "t", "missing");
        assertThat(probe.takeEvents()).containsExactly("sadd u", "sinterstore i", "sunionstore un", "sdiffstore d", "del d", "del i");
        call("SPOP", "u");
        call("SPOP", "u", "5");
        assertThat(probe.takeEvents()).containsExactly("spop u", "spop u", "del u");
    }

    @Test
    void spopPropagatesAsSremOrDel() {
        call("SADD", "s", "a", "b", "c", "d");
        probe.takeStream();
        String popped = c.call("SPOP", "s").text();
        assertThat(probe.takeStream()).containsExactly("SREM s " + popped);
        RespValue two = c.call("SPOP", "s", "2");
        assertThat(two.items()).hasSize(2);
        assertThat(probe.takeStream()).containsExactly("SREM s " + two.get(0).text() + " " + two.get(1).text());
        call("SPOP", "s", "10");
        assertThat(probe.takeStream()).containsExactly("DEL s");
        List<String> big = new ArrayList<>(List.of("SADD", "big"));
        for (int i = 0; i < 3000; i++) {
            big.add("m" + i);
        }
        call(big.toArray(new String[0]));
        probe.takeStream();
        assertThat(c.call("SPOP", "big", "2500").items()).hasSize(2500);
        List<String> stream = probe.takeStream();
        assertThat(stream).hasSize(5); // MULTI, three SREM batches (1024, 1024, 452), EXEC
        assertThat(stream.getFirst()).isEqualTo("MULTI");
        assertThat(stream.get(1).split(" ")).hasSize(2 + 1024);
        assertThat(stream.get(3).split(" ")).hasSize(2 + 452);
        assertThat(call("SCARD", "big")).isEqualTo(":500");
    }

    @Test
    void resp3UsesSetReplies() {
        call("SADD", "s", "1", "2");
        c.call("HELLO", "3");
        try {
            assertThat(call("SMEMBERS", "s")).isEqualTo("~[$1, $2]");
            assertThat(call("SMEMBERS", "missing")).isEqualTo("~[]");
            assertThat(call("SINTER", "s", "s")).isEqualTo("~[$1, $2]");
            assertThat(call("SPOP", "missing", "3")).isEqualTo("~[]");
            assertThat(call("SRANDMEMBER", "s", "-3").charAt(0)).isEqualTo('*');
        } finally {
            c.call("HELLO", "2");
        }
    }

    @Test
    void bigSetsPageThroughSscan() {
        List<String> args = new ArrayList<>(List.of("SADD", "big"));
        for (int i = 0; i < 2000; i++) {
            args.add("m" + i);
        }
        call(args.toArray(new String[0]));
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            RespValue r = c.call("SSCAN", "big", cursor, "COUNT", "50");
            cursor = r.get(0).text();
            r.get(1).items().forEach(v -> seen.add(v.text()));
            calls++;
        } while (!cursor.equals("0"));
        assertThat(seen).hasSize(2000);
        assertThat(calls).isGreaterThan(10);
        assertThat(call("SSCAN", "big", "0", "NOVALUES")).isEqualTo("-ERR NOVALUES option can only be used in HSCAN");
    }

    @Test
    void randomPicksCoverTheSet() {
        call("SADD", "s", "a", "b", "c", "d", "e");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            seen.add(c.call("SRANDMEMBER", "s").text());
        }
        assertThat(seen).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
        RespValue three = c.call("SRANDMEMBER", "s", "3");
        assertThat(new HashSet<>(three.items())).hasSize(3);
        assertThat(c.call("SRANDMEMBER", "s", "-20").items()).hasSize(20);
    }
}
