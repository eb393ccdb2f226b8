package dev.trellis.server.commands.zset;

import dev.trellis.server.keyspace.KeyHash;
import java.util.Arrays;

/** A byte string usable as a hash map key (member accumulators and de-duplication). */
record ByteKey(byte[] bytes, int hash) {
    ByteKey(byte[] bytes) {
        this(bytes, KeyHash.hash(bytes));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && k.hash == hash && Arrays.equals(k.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
