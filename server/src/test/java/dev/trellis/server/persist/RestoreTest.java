package dev.trellis.server.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.persist.rdb.DumpPayload;
import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.TestServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DUMP/RESTORE replies, errors included, are Redis's. */
class RestoreTest {
    private static String show(Object o) {
        if (o instanceof byte[] b) {
            return "$" + Datasets.str(b);
        }
        if (o instanceof List<?> l) {
            List<String> s = new ArrayList<>();
            for (Object x : l) {
                s.add(show(x));
            }
            return s.toString();
        }
        return String.valueOf(o);
    }

    /** The scenario, run against a server; returns every reply. */
    private static List<String> scenario(BinaryClient c) {
        List<String> out = new ArrayList<>();
        c.call("FLUSHALL");
        c.call("SET", "s", "hello");
        c.call("SET", "n", "12345");
        byte[] s = (byte[]) c.call("DUMP", "s");
        byte[] n = (byte[]) c.call("DUMP", "n");
        out.add(show(s));
        out.add(show(n));
        out.add(show(c.call("DUMP", "missing")));
        out.add(show(c.call("RESTORE", "s", "0", s)));
        out.add(show(c.call("RESTORE", "s", "0", s, "REPLACE")));
        out.add(show(c.call("RESTORE", "t", "-1", s)));
        out.add(show(c.call("RESTORE", "t", "abc", s)));
        out.add(show(c.call("RESTORE", "t", "0", "garbage")));
        out.add(show(c.call("RESTORE", "t", "0", "")));
        byte[] flipped = s.clone();
        flipped[2] ^= 1;
        out.add(show(c.call("RESTORE", "t", "0", flipped)));
        byte[] newer = s.clone();
        newer[newer.length - 10] = 99;
        out.add(show(c.call("RESTORE", "t", "0", newer)));
        out.add(show(c.call("RESTORE", "t", "0", s, "IDLETIME", "-1")));
        out.add(show(c.call("RESTORE", "t", "0", s, "FREQ", "256")));
        out.add(show(c.call("RESTORE", "t", "0", s, "IDLETIME", "10", "FREQ", "5")));
        out.add(show(c.call("RESTORE", "t", "0", s, "BOGUS")));
        out.add(show(c.call("RESTORE", "t", "0", s, "IDLETIME")));
        out.add(show(c.call("RESTORE", "t", "0", s, "IDLETIME", "x")));
        out.add(show(c.call("RESTORE", "t", "0", s, "ABSTTL", "IDLETIME", "100")));
        out.add(show(c.call("EXISTS", "t")));
        out.add(show(c.call("RESTORE", "u", "1000", s, "ABSTTL")));
        out.add(show(c.call("EXISTS", "u")));
        out.add(show(c.call("RESTORE", "s", "1000", n, "ABSTTL", "REPLACE")));
        out.add(show(c.call("EXISTS", "s")));
        out.add(show(c.call("RESTORE", "v", "100000", n)));
        long pttl = (Long) c.call("PTTL", "v");
        out.add("pttl-in-range:" + (pttl > 90_000 && pttl <= 100_000));
        out.add(show(c.call("GET", "v")));
        return out;
    }

    @Test
    void repliesMatchRedis() {
        assumeTrue(ReferenceRedis.binary() != null, "redis-server not installed");
        try (ReferenceRedis redis = ReferenceRedis.startOrNull(); BinaryClient r = new BinaryClient(redis.port());
             TestServer t = TestServer.start(); BinaryClient c = new BinaryClient(t.port())) {
            List<String> expected = scenario(r);
            List<String> actual = scenario(c);
            assertThat(actual).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void badPayloadsAreRejectedWithRedisErrors() {
        try (TestServer t = TestServer.start(); BinaryClient c = new BinaryClient(t.port())) {
            c.call("SET", "s", "hello");
            byte[] good = (byte[]) c.call("DUMP", "s");
            assertThat(DumpPayload.verify(good, true)).isTrue();
            // A checksum-valid payload whose body is not a value: type byte 8 does not exist.
            byte[] body = {8, 0, 10, 0};
            assertThat(c.call("RESTORE", "x", "0", withCrc(body))).isEqualTo(new BinaryClient.Err("ERR Bad data format"));
            // A string that claims to be longer than the payload.
            byte[] longer = {0, (byte) 0x80, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'a', 10, 0};
            assertThat(c.call("RESTORE", "x", "0", withCrc(longer))).isEqualTo(new BinaryClient.Err("ERR Bad data format"));
            // A 64-bit length of absurd size.
            byte[] huge = {0, (byte) 0x81, 0x7f, -1, -1, -1, -1, -1, -1, -1, 10, 0};
            assertThat(c.call("RESTORE", "x", "0", withCrc(huge))).isEqualTo(new BinaryClient.Err("ERR Bad data format"));
            // An LZF string whose decompressed length lies.
            byte[] lzf = {0, (byte) 0xc3, 2, 10, 1, 'a', 'b', 10, 0};
            assertThat(c.call("RESTORE", "x", "0", withCrc(lzf))).isEqualTo(new BinaryClient.Err("ERR Bad data format"));
            assertThat(c.call("PING")).isEqualTo("PONG");
            assertThat(c.call("EXISTS", "x")).isEqualTo(0L);
        }
    }

    static byte[] withCrc(byte[] bodyWithVersion) {
        byte[] p = Arrays.copyOf(bodyWithVersion, bodyWithVersion.length + 8);
        Crc64.putLE(p, bodyWithVersion.length, Crc64.of(bodyWithVersion, 0, bodyWithVersion.length));
        return p;
    }
}
