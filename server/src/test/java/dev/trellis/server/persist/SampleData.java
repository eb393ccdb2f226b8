package dev.trellis.server.persist;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The dataset the interop tests move between Redis and Trellis: every string encoding (small
 * and large integers, empty, binary, short, compressible and incompressible long strings),
 * keys with and without TTLs, in several databases. Types add their keys as they land.
 */
final class SampleData {
    private SampleData() {
    }

    static List<String[]> commands(long expireBase) {
        return commands(expireBase, true);
    }

    /** The dataset; without {@code big} the 270 KB string is left out (fuzzing seeds stay small). */
    static List<String[]> commands(long expireBase, boolean big) {
        List<String[]> out = new ArrayList<>();
        Random r = new Random(42);
        out.add(new String[] {"SELECT", "0"});
        String[] ints = {"0", "1", "-1", "127", "-128", "128", "32767", "-32768", "32768", "2147483647", "-2147483648",
            "2147483648", "9223372036854775807", "-9223372036854775808", "007", "+5", "-0", "1e3", " 12"};
        for (int i = 0; i < ints.length; i++) {
            out.add(new String[] {"SET", "int:" + i, ints[i]});
        }
        out.add(new String[] {"SET", "empty", ""});
        out.add(new String[] {"SET", "short", "hello world"});
        out.add(new String[] {"SET", "compressible", "abcdefghij".repeat(500)});
        StringBuilder noise = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            noise.append((char) (33 + r.nextInt(90)));
        }
        out.add(new String[] {"SET", "random", noise.toString()});
        StringBuilder bin = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            bin.append((char) i);
        }
        out.add(new String[] {"SET", "binary", bin.toString()});
        if (big) out.add(new String[] {"SET", "big", "x".repeat(200_000) + "y".repeat(70_000)});
        out.add(new String[] {"SET", "ttl:1", "v", "PXAT", Long.toString(expireBase + 3_600_000)});
        out.add(new String[] {"SET", "ttl:2", "12345", "PXAT", Long.toString(expireBase + 86_400_000L * 365)});
        out.add(new String[] {"SET", "k\u00e9y with spaces", "value"});
        out.add(new String[] {"SET", "\u00ff\u0000\u0080", "binary key"});
        for (int i = 0; i < (big ? 300 : 20); i++) {
            out.add(new String[] {"SET", "many:" + i, "value-" + i, "PXAT", Long.toString(expireBase + 1_000_000 + i)});
        }
        // Lists: a small listpack, a quicklist of several nodes, integers of every width.
        out.add(new String[] {"RPUSH", "list:small", "a", "1", "-5", "300", "70000", "5000000000", "hello", ""});
        List<String> bigList = new ArrayList<>(List.of("RPUSH", "list:big"));
        for (int i = 0; i < 2000; i++) {
            bigList.add(i % 7 == 0 ? Integer.toString(i * 31) : "element-" + i + "-" + "z".repeat(i % 40));
        }
        out.add(bigList.toArray(new String[0]));
        out.add(new String[] {"LPUSH", "list:bigelem", "y".repeat(20_000), "small"});
        out.add(new String[] {"RPUSH", "list:ttl", "x", "y"});
        out.add(new String[] {"PEXPIREAT", "list:ttl", Long.toString(expireBase + 5_000)});
        // Hashes: listpack, hashtable by count, hashtable by value length.
        out.add(new String[] {"HSET", "hash:small", "f1", "v1", "f2", "2", "num", "-12345678901", "empty", ""});
        List<String> bigHash = new ArrayList<>(List.of("HSET", "hash:big"));
        for (int i = 0; i < (big ? 700 : 200); i++) {
            bigHash.add("field:" + i);
            bigHash.add(i % 3 == 0 ? Integer.toString(i) : "value-" + i);
        }
        out.add(bigHash.toArray(new String[0]));
        out.add(new String[] {"HSET", "hash:longvalue", "f", "v".repeat(100), "g", "1"});
        // Sorted sets: listpack with integer, fractional and infinite scores; a skiplist.
        out.add(new String[] {"ZADD", "zset:small", "1", "one", "2.5", "two.5", "-3", "minus3", "inf", "top", "-inf", "bottom",
            "0.1", "tenth", "1e-300", "tiny", "123456789012345678", "huge"});
        List<String> bigZ = new ArrayList<>(List.of("ZADD", "zset:big"));
        for (int i = 0; i < (big ? 300 : 150); i++) {
            bigZ.add(Double.toString(i * 1.25 - 100));
            bigZ.add("member-" + i);
        }
        out.add(bigZ.toArray(new String[0]));
        out.add(new String[] {"ZADD", "zset:longmember", "5", "m".repeat(100)});
        // Sets: intsets of every width, a listpack, a hashtable.
        out.add(new String[] {"SADD", "set:int16", "1", "2", "-300", "32000"});
        out.add(new String[] {"SADD", "set:int64", "1", "5000000000", "-9223372036854775808"});
        out.add(new String[] {"SADD", "set:strings", "a", "b", "c", "12", "hello world"});
        List<String> bigSet = new ArrayList<>(List.of("SADD", "set:big"));
        for (int i = 0; i < (big ? 700 : 200); i++) {
            bigSet.add(i % 2 == 0 ? Integer.toString(i) : "member-" + i);
        }
        out.add(bigSet.toArray(new String[0]));
        List<String> bigInts = new ArrayList<>(List.of("SADD", "set:bigints"));
        for (int i = 0; i < 600; i++) {
            bigInts.add(Integer.toString(i * 7 - 1000));
        }
        out.add(bigInts.toArray(new String[0]));
        // Streams: explicit IDs, shared and differing field sets, several nodes, a trimmed head.
        out.add(new String[] {"XADD", "stream:small", "1-1", "name", "alice", "age", "30"});
        out.add(new String[] {"XADD", "stream:small", "1-2", "name", "bob", "age", "31"});
        out.add(new String[] {"XADD", "stream:small", "5-0", "other", "fields", "n", "-7"});
        for (int i = 1; i <= 250; i++) {
            out.add(new String[] {"XADD", "stream:big", "100-" + i, "k", "v" + i, "n", Integer.toString(i)});
        }
        out.add(new String[] {"XTRIM", "stream:big", "MAXLEN", "240"});
        out.add(new String[] {"SELECT", "3"});
        out.add(new String[] {"SET", "in-db3", "three"});
        out.add(new String[] {"SET", "ttl-db3", "v", "PXAT", Long.toString(expireBase + 7_200_000)});
        out.add(new String[] {"SELECT", "15"});
        out.add(new String[] {"SET", "in-db15", "fifteen"});
        out.add(new String[] {"SELECT", "0"});
        return out;
    }

    /** Consumer groups, pending entries and consumers (commands Trellis may not have yet). */
    static List<String[]> groupCommands() {
        return List.of(
                new String[] {"XGROUP", "CREATE", "stream:small", "g1", "0"},
                new String[] {"XREADGROUP", "GROUP", "g1", "alice", "COUNT", "2", "STREAMS", "stream:small", ">"},
                new String[] {"XGROUP", "CREATECONSUMER", "stream:small", "g1", "bob"},
                new String[] {"XGROUP", "CREATE", "stream:big", "g2", "$"});
    }

    static void apply(BinaryClient c, List<String[]> commands) {
        for (String[] cmd : commands) {
            Object v = c.call((Object[]) bytes(cmd));
            if (v instanceof BinaryClient.Err) {
                throw new AssertionError(String.join(" ", cmd) + " -> " + v);
            }
        }
    }

    static byte[][] bytes(String[] cmd) {
        byte[][] b = new byte[cmd.length][];
        for (int i = 0; i < cmd.length; i++) {
            b[i] = cmd[i].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        return b;
    }
}
