package dev.trellis.server.types.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stream's nodes are byte-for-byte Redis's listpacks: the same commands run on both
 * servers, and every node key and listpack Trellis holds must equal what redis-server's DUMP
 * of the key carries (RDB stream type, compression off). This pins down element encodings,
 * back lengths, the master entry, same-fields compression, deletion flags and counters, and
 * where nodes split.
 */
class StreamListpackBytesTest {
    private static TestServer trellis;
    private static ReferenceRedis redis;

    @BeforeAll
    static void start() {
        redis = ReferenceRedis.startOrNull();
        if (redis != null) {
            trellis = TestServer.start();
        }
    }

    @AfterAll
    static void stop() {
        if (trellis != null) {
            trellis.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void handPickedEntriesMatchRedisBytes() {
        assumeTrue(redis != null, "redis-server not installed");
        List<String[]> cmds = new ArrayList<>();
        cmds.add(new String[] {"XADD", "k", "1-1", "a", "1", "b", "two"});
        cmds.add(new String[] {"XADD", "k", "1-2", "a", "-5", "b", "x".repeat(63)});
        cmds.add(new String[] {"XADD", "k", "1-3", "a", "4095", "b", "x".repeat(64)});
        cmds.add(new String[] {"XADD", "k", "2-0", "c", "-4097", "d", "y".repeat(4095)});
        cmds.add(new String[] {"XADD", "k", "2-1", "a", "32768", "b", "y".repeat(4096)});
        cmds.add(new String[] {"XADD", "k", "3-7", "a", "-8388609", "b", "2147483648"});
        cmds.add(new String[] {"XADD", "k", "4-0", "", "9223372036854775807", "b", "-9223372036854775808"});
        cmds.add(new String[] {"XADD", "k", "4-1", "a", "9223372036854775808", "b", "01", "c", "-0"});
        cmds.add(new String[] {"XADD", "k", "5-0", "a", "z".repeat(16381)});
        cmds.add(new String[] {"XADD", "k", "6-0", "a", "z".repeat(16378)});
        cmds.add(new String[] {"XDEL", "k", "1-2", "4-0"});
        cmds.add(new String[] {"XADD", "k", "1000000000000-0", "a", "1"});
        cmds.add(new String[] {"XADD", "k", "1000000000000-5", "a", "1"});
        compare(cmds, "k");
    }

    @Test
    void randomStreamsMatchRedisBytes() {
        assumeTrue(redis != null, "redis-server not installed");
        long seed = Long.getLong("stream.seed", System.nanoTime());
        Random r = new Random(seed);
        for (int round = 0; round < 12; round++) {
            List<String[]> cmds = new ArrayList<>();
            String entries = String.valueOf(new int[] {2, 3, 5, 10, 100, 0}[r.nextInt(6)]);
            // Not below 4096: redis-server 7.0.15 can crash in XADD with tiny stream-node-max-bytes.
            String bytes = String.valueOf(new int[] {0, 4096, 5000, 8192}[r.nextInt(4)]);
            cmds.add(new String[] {"CONFIG", "SET", "stream-node-max-entries", entries, "stream-node-max-bytes", bytes});
            long ms = 1;
            for (int i = 0; i < 60; i++) {
                int k = r.nextInt(10);
                if (k < 7) {
                    ms += r.nextInt(3);
                    List<String> c = new ArrayList<>(List.of("XADD", "k", ms + "-*"));
                    int n = 1 + r.nextInt(3);
                    boolean same = r.nextBoolean();
                    for (int f = 0; f < n; f++) {
                        c.add(same ? "f" + f : "g" + r.nextInt(4));
                        c.add(value(r));
                    }
                    cmds.add(c.toArray(new String[0]));
                } else if (k < 9) {
                    cmds.add(new String[] {"XDEL", "k", r.nextInt((int) ms + 1) + "-" + r.nextInt(3)});
                } else {
                    cmds.add(new String[] {"XTRIM", "k", "MAXLEN", String.valueOf(5 + r.nextInt(30))});
                }
            }
            compare(cmds, "k");
            assertThat(true).as("seed %d", seed).isTrue();
        }
    }

    private static String value(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> String.valueOf(r.nextInt(256) - 128);
            case 1 -> String.valueOf(r.nextLong());
            case 2 -> String.valueOf(r.nextInt());
            case 3 -> "v".repeat(r.nextInt(80));
            case 4 -> "w".repeat(60 + r.nextInt(10));
            case 5 -> "u".repeat(r.nextInt(2500));
            case 6 -> "0" + r.nextInt(10);
            default -> "x" + r.nextInt(100);
        };
    }

    private static void compare(List<String[]> cmds, String key) {
        try (RespClient a = trellis.client(); RespClient b = redis.client()) {
            a.call("DEL", key);
            b.call("DEL", key);
            b.call("CONFIG", "SET", "rdbcompression", "no");
            for (String[] c : cmds) {
                assertThat(a.call(c).toString()).as(String.join(" ", c)).isEqualTo(b.call(c).toString());
            }
            List<byte[][]> redisNodes = nodesFromDump(b, key);
            List<byte[][]> ours = trellisNodes(key);
            assertThat(ours.size()).as("node count").isEqualTo(redisNodes.size());
            HexFormat hex = HexFormat.of();
            for (int i = 0; i < ours.size(); i++) {
                assertThat(hex.formatHex(ours.get(i)[0])).as("node %d key", i).isEqualTo(hex.formatHex(redisNodes.get(i)[0]));
                assertThat(hex.formatHex(ours.get(i)[1])).as("node %d listpack", i).isEqualTo(hex.formatHex(redisNodes.get(i)[1]));
            }
            a.call("CONFIG", "SET", "stream-node-max-entries", "100", "stream-node-max-bytes", "4096");
            b.call("CONFIG", "SET", "stream-node-max-entries", "100", "stream-node-max-bytes", "4096");
        }
    }

    /** The stream's nodes in Trellis, read on the server thread: [16-byte key, listpack]. */
    private static List<byte[][]> trellisNodes(String key) {
        CompletableFuture<List<byte[][]>> f = new CompletableFuture<>();
        trellis.server().execute(() -> {
            KeyEntry e = trellis.server().keyspace().db(0).peek(key.getBytes(StandardCharsets.UTF_8));
            List<byte[][]> out = new ArrayList<>();
            RedisStream s = (RedisStream) e.value();
            for (Map.Entry<StreamId, StreamNode> n : s.nodes().entrySet()) {
                byte[] k = new byte[16];
                for (int i = 0; i < 8; i++) {
                    k[i] = (byte) (n.getKey().ms() >>> (56 - 8 * i));
                    k[8 + i] = (byte) (n.getKey().seq() >>> (56 - 8 * i));
                }
                out.add(new byte[][] {k, n.getValue().listpack()});
            }
            f.complete(out);
        });
        return f.join();
    }

    /** Parses the node list at the start of redis-server's DUMP of a stream (uncompressed strings). */
    private static List<byte[][]> nodesFromDump(RespClient b, String key) {
        byte[] dump;
        try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", redis.port())) {
            dump = j.dump(key.getBytes(StandardCharsets.UTF_8));
        }
        int[] pos = {1}; // skip the type byte
        long n = length(dump, pos);
        List<byte[][]> out = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(new byte[][] {string(dump, pos), string(dump, pos)});
        }
        return out;
    }

    private static long length(byte[] d, int[] pos) {
        int first = d[pos[0]++] & 0xFF;
        int type = first >> 6;
        if (type == 0) {
            return first & 0x3F;
        } else if (type == 1) {
            return ((first & 0x3F) << 8) | (d[pos[0]++] & 0xFF);
        } else if (first == 0x80) {
            long v = 0;
            for (int i = 0; i < 4; i++) {
                v = v << 8 | (d[pos[0]++] & 0xFF);
            }
            return v;
        }
        throw new IllegalStateException("unexpected length encoding " + first);
    }

    private static byte[] string(byte[] d, int[] pos) {
        int len = (int) length(d, pos);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(d, pos[0], len);
        pos[0] += len;
        return out.toByteArray();
    }
}
