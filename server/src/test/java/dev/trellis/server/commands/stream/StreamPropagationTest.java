package dev.trellis.server.commands.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What stream commands hand to the AOF and replicas: rewritten XADD/XTRIM arguments, and for
 * consumer-group reads and claims the XCLAIM / XGROUP commands Redis propagates instead of
 * the command. Replaying the propagated stream on redis-server must rebuild the same stream,
 * groups and PELs (delivery times included).
 */
class StreamPropagationTest {
    private static TestServer server;
    private static final List<byte[][]> seen = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.server().propagation().addSink((db, argv) -> seen.add(argv));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clear() {
        try (RespClient c = server.client()) {
            c.call("FLUSHALL");
        }
        seen.clear();
    }

    private static List<String> seenText() {
        List<String> out = new ArrayList<>();
        synchronized (seen) {
            for (byte[][] argv : seen) {
                List<String> parts = new ArrayList<>();
                for (byte[] a : argv) {
                    parts.add(new String(a, StandardCharsets.UTF_8));
                }
                out.add(String.join(" ", parts));
            }
        }
        return out;
    }

    @Test
    void xaddAndXtrimPropagateWhatTheyDid() {
        try (RespClient c = server.client()) {
            c.call("XADD", "s", "1-0", "a", "1");
            c.call("XADD", "s", "5-*", "a", "2");
            c.call("XADD", "s", "MAXLEN", "~", "1", "6-1", "a", "3");
            c.call("XADD", "s", "MINID", "~", "0", "7-1", "a", "3");
            c.call("XTRIM", "s", "MAXLEN", "1");
            c.call("XTRIM", "s", "MAXLEN", "~", "0");
            c.call("XTRIM", "s", "MAXLEN", "5");
            c.call("XADD", "s", "NOMKSTREAM", "8-0", "a", "4");
            c.call("XADD", "missing", "NOMKSTREAM", "1-0", "a", "4");
            c.call("XADD", "t", "*", "a", "1");
        }
        List<String> s = seenText();
        assertThat(s.subList(0, s.size() - 1)).containsExactly(
                "XADD s 1-0 a 1",
                "XADD s 5-0 a 2",
                "XADD s MAXLEN = 3 6-1 a 3",
                "XADD s MINID = 1-0 7-1 a 3",
                "XTRIM s MAXLEN 1",
                "XTRIM s MAXLEN = 0",
                "XADD s NOMKSTREAM 8-0 a 4");
        assertThat(s.get(s.size() - 1)).matches("XADD t \\d{13}-0 a 1");
    }

    @Test
    void groupReadsPropagateClaimsNotThemselves() {
        try (RespClient c = server.client()) {
            c.call("XADD", "s", "1-0", "a", "1");
            c.call("XADD", "s", "2-0", "a", "2");
            c.call("XGROUP", "CREATE", "s", "g", "0");
            seen.clear();
            c.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">");
            c.call("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0");
            c.call("XREADGROUP", "GROUP", "g", "bob", "NOACK", "STREAMS", "s", ">");
            c.call("XADD", "s", "3-0", "a", "3");
            c.call("XREADGROUP", "GROUP", "g", "bob", "NOACK", "STREAMS", "s", ">");
            c.call("XREADGROUP", "GROUP", "g", "carol", "NOACK", "STREAMS", "s", ">");
            c.call("XACK", "s", "g", "1-0");
            c.call("XCLAIM", "s", "g", "dave", "0", "2-0", "TIME", "1234", "RETRYCOUNT", "5");
            c.call("XCLAIM", "s", "g", "dave", "0", "9-0", "LASTID", "4-0");
        }
        List<String> s = seenText();
        List<String> masked = s.stream().map(x -> x.replaceAll(" TIME \\d+ ", " TIME t ")).toList();
        assertThat(masked).containsExactly(
                "MULTI",
                "XCLAIM s g alice 0 1-0 TIME t RETRYCOUNT 1 FORCE JUSTID LASTID 1-0",
                "XCLAIM s g alice 0 2-0 TIME t RETRYCOUNT 1 FORCE JUSTID LASTID 2-0",
                "EXEC",
                "XGROUP CREATECONSUMER s g bob",
                "XADD s 3-0 a 3",
                "XGROUP SETID s g 3-0 ENTRIESREAD 3",
                "XGROUP CREATECONSUMER s g carol",
                "XACK s g 1-0",
                "XCLAIM s g dave 0 2-0 TIME t RETRYCOUNT 5 FORCE JUSTID LASTID 3-0",
                "XGROUP SETID s g 4-0 ENTRIESREAD 3");
        assertThat(s.get(9)).contains(" TIME 1234 ");
    }

    @Test
    void replayingThePropagatedStreamOnRedisRebuildsTheSameState() {
        ReferenceRedis redis = ReferenceRedis.startOrNull();
        assumeTrue(redis != null, "redis-server not installed");
        try (redis; RespClient c = server.client(); RespClient r = redis.client()) {
            Random rnd = new Random(7);
            c.call("XGROUP", "CREATE", "s", "g", "0", "MKSTREAM");
            c.call("XGROUP", "CREATE", "s", "h", "$");
            for (int i = 1; i <= 400; i++) {
                // Not history reads (XREADGROUP with an ID): Redis does not propagate their
                // delivery counts either.
                int k = rnd.nextInt(11);
                String consumer = "c" + rnd.nextInt(3);
                String group = rnd.nextBoolean() ? "g" : "h";
                String id = (1 + rnd.nextInt(i)) + "-" + rnd.nextInt(2);
                switch (k) {
                    case 0, 1, 2 -> c.call("XADD", "s", i + "-" + rnd.nextInt(2), "f", String.valueOf(i));
                    case 3, 4 -> c.call("XREADGROUP", "GROUP", group, consumer, "COUNT", String.valueOf(1 + rnd.nextInt(3)),
                            "STREAMS", "s", ">");
                    case 5 -> c.call("XREADGROUP", "GROUP", group, consumer, "NOACK", "STREAMS", "s", ">");
                    case 6 -> c.call("XACK", "s", group, id);
                    case 7 -> c.call("XCLAIM", "s", group, consumer, "0", id, "TIME", String.valueOf(1000 + i));
                    case 8 -> c.call("XAUTOCLAIM", "s", group, consumer, "0", "0", "COUNT", "2");
                    case 9 -> c.call("XDEL", "s", id);
                    default -> c.call("XTRIM", "s", "MAXLEN", "~", "20");
                }
            }
            synchronized (seen) {
                for (byte[][] argv : seen) {
                    RespValue v = r.callBytes(argv);
                    assertThat(v.isError()).as(new String(argv[0], StandardCharsets.UTF_8) + " on redis: " + v).isFalse();
                }
            }
            assertThat(state(r)).isEqualTo(state(c));
        }
    }

    /**
     * The stream, its groups and PELs with delivery times. Left out: consumers' own timestamps,
     * and the groups' entries-read and lag, which Redis's replicas do not follow either (XCLAIM's
     * LASTID moves the group without its read counter).
     */
    private static String state(RespClient c) {
        RespValue full = c.call("XINFO", "STREAM", "s", "FULL", "COUNT", "0");
        StringBuilder sb = new StringBuilder();
        List<RespValue> items = full.items();
        for (int i = 0; i < items.size(); i += 2) {
            String k = items.get(i).text();
            if (k.equals("groups")) {
                for (RespValue g : items.get(i + 1).items()) {
                    List<RespValue> gi = g.items();
                    for (int j = 0; j < gi.size(); j += 2) {
                        String gk = gi.get(j).text();
                        if (gk.equals("consumers")) {
                            for (RespValue con : gi.get(j + 1).items()) {
                                List<RespValue> ci = con.items();
                                for (int q = 0; q < ci.size(); q += 2) {
                                    String ck = ci.get(q).text();
                                    if (!ck.equals("seen-time") && !ck.equals("active-time")) {
                                        sb.append(ck).append('=').append(ci.get(q + 1)).append('\n');
                                    }
                                }
                            }
                        } else if (!gk.equals("entries-read") && !gk.equals("lag")) {
                            sb.append(gk).append('=').append(gi.get(j + 1)).append('\n');
                        }
                    }
                }
            } else if (!k.equals("radix-tree-nodes") && !k.equals("radix-tree-keys")) {
                sb.append(k).append('=').append(items.get(i + 1)).append('\n');
            }
        }
        return sb.toString();
    }
}
