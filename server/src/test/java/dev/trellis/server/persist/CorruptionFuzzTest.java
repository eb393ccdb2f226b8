package dev.trellis.server.persist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.keyspace.Keyspace;
import dev.trellis.server.persist.rdb.DumpPayload;
import dev.trellis.server.persist.rdb.LoadContext;
import dev.trellis.server.persist.rdb.RdbException;
import dev.trellis.server.persist.rdb.RdbFiles;
import dev.trellis.server.persist.rdb.RdbInput;
import dev.trellis.server.persist.rdb.RdbOutput;
import dev.trellis.server.persist.rdb.RdbSnapshot;
import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A seeded fuzzer over RDB files and DUMP payloads: truncations, bit flips, absurd lengths and
 * random splices, with the checksum recomputed half the time so the parser itself is reached.
 * Every input must either load or fail with an {@link RdbException}: no other exception, no
 * hang, no unbounded allocation (the heap is finite: an absurd length would throw OOM).
 */
class CorruptionFuzzTest {
    private static final long SEED = 20240607L;
    private Path dir;

    @org.junit.jupiter.api.BeforeEach
    void quiet() {
        // Thousands of rejected inputs would each log a warning.
        dev.trellis.server.log.ServerLog.get().level(dev.trellis.server.log.ServerLog.NOTHING);
    }

    @AfterEach
    void cleanup() {
        dev.trellis.server.log.ServerLog.get().level(dev.trellis.server.log.ServerLog.WARNING);
        PersistTestSupport.deleteTree(dir);
    }

    static byte[] mutate(byte[] seed, Random r, boolean fixCrc, int footer) {
        byte[] b = seed.clone();
        int body = b.length - footer;
        switch (r.nextInt(5)) {
            case 0 -> b = Arrays.copyOf(b, r.nextInt(b.length));
            case 1 -> {
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    b[r.nextInt(Math.max(1, body))] ^= (byte) (1 << r.nextInt(8));
                }
            }
            case 2 -> {
                // An absurd 32 or 64-bit length somewhere.
                int at = r.nextInt(Math.max(1, body - 9));
                b[at] = (byte) (r.nextBoolean() ? 0x80 : 0x81);
                for (int k = 1; k <= 8 && at + k < body; k++) {
                    b[at + k] = (byte) (r.nextBoolean() ? 0xff : r.nextInt(256));
                }
            }
            case 3 -> {
                int at = r.nextInt(Math.max(1, body));
                byte[] noise = new byte[1 + r.nextInt(16)];
                r.nextBytes(noise);
                byte[] out = new byte[b.length + noise.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(noise, 0, out, at, noise.length);
                System.arraycopy(b, at, out, at + noise.length, b.length - at);
                b = out;
            }
            default -> b[r.nextInt(Math.max(1, body))] = (byte) r.nextInt(256);
        }
        if (fixCrc && b.length >= 8) {
            Crc64.putLE(b, b.length - 8, Crc64.of(b, 0, b.length - 8));
        }
        return b;
    }

    private static byte[] ourRdb() {
        Keyspace ks = new Keyspace(16);
        dev.trellis.server.keyspace.Database db = ks.db(0);
        Random r = new Random(3);
        for (int i = 0; i < 60; i++) {
            byte[] v = new byte[r.nextInt(80)];
            for (int k = 0; k < v.length; k++) {
                v[k] = (byte) ('a' + r.nextInt(3));
            }
            var e = db.add(("key" + i).getBytes(), i % 5 == 0 ? Long.toString(i * 1000L).getBytes() : v);
            if (i % 4 == 0) {
                db.setExpire(e, System.currentTimeMillis() + 100_000);
            }
        }
        ks.db(3).add("x".getBytes(), "y".getBytes());
        RdbOutput out = new RdbOutput(true);
        RdbFiles.write(ks, out, new RdbSnapshot.Options(), true, null);
        return out.toByteArray();
    }

    private static void loadOrReject(byte[] file) {
        Keyspace ks = new Keyspace(16);
        try {
            RdbFiles.load(RdbInput.of(file), ks, true, false, false);
        } catch (RdbException expected) {
            // rejected as corrupt: fine
        }
    }

    @Test
    void rdbFilesNeverFailOtherThanAsCorrupt() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(ourRdb());
        if (ReferenceRedis.binary() != null) {
            dir = PersistTestSupport.tempDir("fuzz-seed");
            try (ReferenceRedis redis = PersistTestSupport.redis(dir); BinaryClient c = new BinaryClient(redis.port())) {
                SampleData.apply(c, SampleData.commands(System.currentTimeMillis() + 1_000_000, false));
                c.call("SAVE");
            }
            seeds.add(Files.readAllBytes(dir.resolve("dump.rdb")));
        }
        for (byte[] s : seeds) {
            loadOrReject(s); // the seeds themselves load
            Keyspace ks = new Keyspace(16);
            RdbFiles.load(RdbInput.of(s), ks, true, false, false);
            assertThat(ks.totalKeys()).isPositive();
        }
        Random r = new Random(SEED);
        int rejected = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] seed = seeds.get(i % seeds.size());
            byte[] bad = mutate(seed, r, r.nextBoolean(), 8);
            try {
                RdbFiles.load(RdbInput.of(bad), new Keyspace(16), true, false, false);
            } catch (RdbException e) {
                rejected++;
            }
        }
        assertThat(rejected).isGreaterThan(1000);
    }

    @Test
    void restorePayloadsNeverFailOtherThanAsBadData() {
        List<byte[]> seeds = new ArrayList<>();
        Random gen = new Random(5);
        for (int i = 0; i < 10; i++) {
            byte[] v = new byte[gen.nextInt(200)];
            for (int k = 0; k < v.length; k++) {
                v[k] = (byte) ('a' + gen.nextInt(2));
            }
            seeds.add(DumpPayload.create(v, "k".getBytes(), 0, true));
        }
        seeds.add(DumpPayload.create("123".getBytes(), "k".getBytes(), 0, true));
        Random r = new Random(SEED + 1);
        for (int i = 0; i < 3000; i++) {
            byte[] bad = mutate(seeds.get(i % seeds.size()), r, r.nextInt(4) != 0, 10);
            if (DumpPayload.verify(bad, true)) {
                try {
                    DumpPayload.read(bad, new LoadContext("k".getBytes(), 0, false));
                } catch (RdbException expected) {
                    // Bad data format
                }
            }
        }
        // And through the server: every reply is OK or one of Redis's two errors; the server keeps serving.
        try (TestServer t = TestServer.start("--loglevel", "nothing"); BinaryClient c = new BinaryClient(t.port())) {
            Random rr = new Random(SEED + 2);
            for (int i = 0; i < 300; i++) {
                byte[] bad = mutate(seeds.get(i % seeds.size()), rr, rr.nextBoolean(), 10);
                Object reply = c.call("RESTORE", "k" + i, "0", bad);
                assertThat(reply).isIn("OK", new BinaryClient.Err("ERR DUMP payload version or checksum are wrong"),
                        new BinaryClient.Err("ERR Bad data format"));
            }
            assertThat(c.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void corruptFileAtStartupFailsCleanly() throws Exception {
        dir = PersistTestSupport.tempDir("fuzz-start");
        byte[] good = ourRdb();
        Random r = new Random(SEED + 3);
        int refused = 0;
        for (int i = 0; i < 6; i++) {
            byte[] bad = i == 0 ? Arrays.copyOf(good, good.length / 2) : mutate(good, r, i % 2 == 0, 8);
            Files.write(dir.resolve("dump.rdb"), bad);
            if (PersistTestSupport.startFailure("--dir", dir.toString()) != null) {
                refused++;
            }
        }
        assertThat(refused).isPositive();
    }
}
