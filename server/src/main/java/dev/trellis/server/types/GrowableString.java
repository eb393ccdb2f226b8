package dev.trellis.server.types;

import java.util.Arrays;

/**
 * A string value being grown by APPEND: its bytes sit at the start of a buffer with spare
 * room, grown greedily as Redis grows an sds (double while under 1 MB, then 1 MB at a time), so
 * many small appends cost amortised constant time each instead of a copy of the whole string.
 *
 * <p>Only a key's raw slot ever holds one ({@link dev.trellis.server.keyspace.KeyEntry#rawValue()}):
 * {@link dev.trellis.server.keyspace.KeyEntry#value()} trims it back to an exact {@code byte[]}
 * the first time anything else reads the key, so every other reader keeps seeing plain strings.
 * A read that trims costs one copy, no more than the read itself (GET writes every byte).
 */
public final class GrowableString implements RedisValue {
    /** Past this size the buffer grows by this much instead of doubling (Redis's SDS_MAX_PREALLOC). */
    static final int MAX_PREALLOC = 1024 * 1024;

    private byte[] buf;
    private int length;

    /** A growable copy of {@code start} followed by {@code add}, with spare room after them. */
    public GrowableString(byte[] start, byte[] add) {
        buf = new byte[capacityFor(start.length + (long) add.length)];
        System.arraycopy(start, 0, buf, 0, start.length);
        System.arraycopy(add, 0, buf, start.length, add.length);
        length = start.length + add.length;
    }

    private static int capacityFor(long needed) {
        long grown = needed < MAX_PREALLOC ? needed * 2 : needed + MAX_PREALLOC;
        return (int) Math.min(grown, Integer.MAX_VALUE - 8);
    }

    /** Appends {@code add} (the caller checked the resulting length); returns the new length. */
    public int append(byte[] add) {
        long needed = (long) length + add.length;
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, capacityFor(needed));
        }
        System.arraycopy(add, 0, buf, length, add.length);
        length = (int) needed;
        return length;
    }

    /** The string's length in bytes (STRLEN), without trimming. */
    public int length() {
        return length;
    }

    /** The string's bytes as an exact array. */
    public byte[] toBytes() {
        return Arrays.copyOf(buf, length);
    }

    @Override
    public String typeName() {
        return "string";
    }

    @Override
    public String encoding() {
        return "raw";
    }

    @Override
    public RedisValue copy() {
        throw new UnsupportedOperationException("a growing string is trimmed to bytes before it is copied");
    }

    /** The whole buffer counts, spare room included: the heap holds it. */
    @Override
    public long memoryUsage() {
        return 16 + ((16 + (long) buf.length + 7) & ~7L);
    }
}
