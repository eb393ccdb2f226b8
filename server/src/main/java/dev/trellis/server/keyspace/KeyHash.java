package dev.trellis.server.keyspace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/** Seeded 32-bit hash of key bytes; the seed is random per process against hash flooding. */
public final class KeyHash {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SEED = new SecureRandom().nextLong();
    private static final long M = 0x9E3779B97F4A7C15L;

    private KeyHash() {
    }

    public static int hash(byte[] b) {
        return hash(b, 0, b.length);
    }

    public static int hash(byte[] b, int off, int len) {
        long h = SEED ^ (len * M);
        int i = off;
        int end = off + len;
        for (; i + 8 <= end; i += 8) {
            long k = (long) LONGS.get(b, i);
            h = Long.rotateLeft(h ^ mix(k), 27) * M + 0x52dce729;
        }
        long tail = 0;
        for (int s = 0; i < end; i++, s += 8) {
            tail |= (b[i] & 0xffL) << s;
        }
        h ^= mix(tail);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }

    private static long mix(long k) {
        k *= 0x87c37b91114253d5L;
        k = Long.rotateLeft(k, 31);
        return k * 0x4cf5ad432745937fL;
    }
}
