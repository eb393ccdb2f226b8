package dev.trellis.server.persist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Listpacks and intsets in a payload become the value's storage as they are only when they are
 * exactly what the server itself keeps; anything else (unordered, duplicated, integers stored as
 * text) still loads through the element-wise readers, or is refused as Redis's loader with
 * checks refuses it.
 */
class AdoptedEncodingsTest {
    private static final int HASH_LISTPACK = 16;
    private static final int ZSET_LISTPACK = 17;
    private static final int SET_INTSET = 11;
    private static final int SET_LISTPACK = 20;
    private static final BinaryClient.Err BAD = new BinaryClient.Err("ERR Bad data format");

    /** A listpack of the given elements: Integers as 7-bit integer entries, Strings as short strings. */
    private static byte[] listpack(Object... elements) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Object e : elements) {
            if (e instanceof Integer i) {
                body.write(i); // 0..127
                body.write(1);
            } else {
                byte[] s = ((String) e).getBytes(StandardCharsets.US_ASCII);
                body.write(0x80 | s.length);
                body.writeBytes(s);
                body.write(1 + s.length);
            }
        }
        int total = 6 + body.size() + 1;
        ByteArrayOutputStream lp = new ByteArrayOutputStream();
        lp.write(total);
        lp.write(total >>> 8);
        lp.write(0);
        lp.write(0);
        lp.write(elements.length);
        lp.write(0);
        lp.writeBytes(body.toByteArray());
        lp.write(0xff);
        return lp.toByteArray();
    }

    /** An intset of 16-bit values as given (order and duplicates untouched). */
    private static byte[] intset(int... values) {
        byte[] b = new byte[8 + 2 * values.length];
        b[0] = 2;
        b[4] = (byte) values.length;
        for (int i = 0; i < values.length; i++) {
            b[8 + 2 * i] = (byte) values[i];
            b[9 + 2 * i] = (byte) (values[i] >> 8);
        }
        return b;
    }

    /** A DUMP payload of type {@code type} whose value is the RDB string {@code blob}. */
    private static byte[] payload(int type, byte[] blob) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(type);
        p.write(0x40 | (blob.length >>> 8)); // 14-bit length
        p.write(blob.length);
        p.writeBytes(blob);
        p.write(type == SET_LISTPACK ? 11 : 10); // set listpacks came with RDB 11
        p.write(0);
        return RestoreTest.withCrc(p.toByteArray());
    }

    private static Object restore(BinaryClient c, String key, byte[] payload) {
        return c.call("RESTORE", key, "0", payload);
    }

    private static String text(Object reply) {
        return reply instanceof byte[] b ? new String(b, StandardCharsets.US_ASCII) : String.valueOf(reply);
    }

    private static List<String> texts(Object reply) {
        return ((List<?>) reply).stream().map(AdoptedEncodingsTest::text).toList();
    }

    @Test
    void hashListpacks() {
        try (TestServer t = TestServer.start(); BinaryClient c = new BinaryClient(t.port())) {
            assertThat(restore(c, "h", payload(HASH_LISTPACK, listpack("f1", "v1", 7, "x", "f2", 12)))).isEqualTo("OK");
            assertThat(texts(c.call("HGETALL", "h"))).containsExactly("f1", "v1", "7", "x", "f2", "12");
            assertThat(text(c.call("HGET", "h", "7"))).isEqualTo("x");
            assertThat(text(c.call("OBJECT", "ENCODING", "h"))).isEqualTo("listpack");
            // the adopted storage takes changes like any other
            assertThat(c.call("HSET", "h", "f3", "v3", "f1", "w1")).isEqualTo(1L);
            assertThat(c.call("HDEL", "h", "7")).isEqualTo(1L);
            assertThat(texts(c.call("HGETALL", "h"))).containsExactly("f1", "w1", "f2", "12", "f3", "v3");
            // duplicate fields, also an integer stored once as text and once as an integer
            assertThat(restore(c, "d1", payload(HASH_LISTPACK, listpack("a", "1", "a", "2")))).isEqualTo(BAD);
            assertThat(restore(c, "d2", payload(HASH_LISTPACK, listpack("7", "1", 7, "2")))).isEqualTo(BAD);
            // integer text stored as a string entry is still the same field for lookups
            assertThat(restore(c, "n", payload(HASH_LISTPACK, listpack("7", "seven")))).isEqualTo("OK");
            assertThat(text(c.call("HGET", "n", "7"))).isEqualTo("seven");
            // an odd number of entries is not a hash
            assertThat(restore(c, "o", payload(HASH_LISTPACK, listpack("a", "1", "b")))).isEqualTo(BAD);
            assertThat(c.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void sortedSetListpacks() {
        try (TestServer t = TestServer.start(); BinaryClient c = new BinaryClient(t.port())) {
            assertThat(restore(c, "z", payload(ZSET_LISTPACK, listpack("a", "-2.5", "b", 0, "c", "0.1", "e", 12, "d", "1e3")))).isEqualTo("OK");
            assertThat(texts(c.call("ZRANGE", "z", "0", "-1", "WITHSCORES")))
                    .containsExactly("a", "-2.5", "b", "0", "c", "0.10000000000000001", "e", "12", "d", "1000"); // RESP2 scores as %.17g
            assertThat(text(c.call("OBJECT", "ENCODING", "z"))).isEqualTo("listpack");
            // out of order: still loaded, in order
            assertThat(restore(c, "u", payload(ZSET_LISTPACK, listpack("b", 2, "a", 1)))).isEqualTo("OK");
            assertThat(texts(c.call("ZRANGE", "u", "0", "-1"))).containsExactly("a", "b");
            assertThat(c.call("ZADD", "u", "0", "c")).isEqualTo(1L);
            assertThat(texts(c.call("ZRANGE", "u", "0", "-1"))).containsExactly("c", "a", "b");
            // a member twice, or a score that is not a number
            assertThat(restore(c, "d", payload(ZSET_LISTPACK, listpack("a", 1, "a", 2)))).isEqualTo(BAD);
            assertThat(restore(c, "x", payload(ZSET_LISTPACK, listpack("a", "1.5x")))).isEqualTo(BAD);
            assertThat(c.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void setIntsetsAndListpacks() {
        try (TestServer t = TestServer.start(); BinaryClient c = new BinaryClient(t.port())) {
            assertThat(restore(c, "i", payload(SET_INTSET, intset(-300, 2, 700)))).isEqualTo("OK");
            assertThat(texts(c.call("SMEMBERS", "i"))).containsExactly("-300", "2", "700");
            assertThat(text(c.call("OBJECT", "ENCODING", "i"))).isEqualTo("intset");
            assertThat(c.call("SADD", "i", "5")).isEqualTo(1L);
            assertThat(texts(c.call("SMEMBERS", "i"))).containsExactly("-300", "2", "5", "700");
            // unordered or duplicated: refused (as Redis's deep integrity check)
            assertThat(restore(c, "u", payload(SET_INTSET, intset(9, 3)))).isEqualTo(BAD);
            assertThat(restore(c, "d", payload(SET_INTSET, intset(3, 3)))).isEqualTo(BAD);

            assertThat(restore(c, "l", payload(SET_LISTPACK, listpack("m1", 5, "m2")))).isEqualTo("OK");
            assertThat(texts(c.call("SMEMBERS", "l"))).containsExactlyInAnyOrder("m1", "5", "m2");
            assertThat(c.call("SISMEMBER", "l", "5")).isEqualTo(1L);
            assertThat(text(c.call("OBJECT", "ENCODING", "l"))).isEqualTo("listpack");
            assertThat(restore(c, "ld", payload(SET_LISTPACK, listpack("m1", "m1")))).isEqualTo(BAD);
            assertThat(restore(c, "lt", payload(SET_LISTPACK, listpack("5", 5, "m")))).isEqualTo(BAD);
            assertThat(c.call("PING")).isEqualTo("PONG");
        }
    }
}
