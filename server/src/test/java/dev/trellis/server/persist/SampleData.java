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
        out.add(new String[] {"SELECT", "3"});
        out.add(new String[] {"SET", "in-db3", "three"});
        out.add(new String[] {"SET", "ttl-db3", "v", "PXAT", Long.toString(expireBase + 7_200_000)});
        out.add(new String[] {"SELECT", "15"});
        out.add(new String[] {"SET", "in-db15", "fifteen"});
        out.add(new String[] {"SELECT", "0"});
        return out;
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
