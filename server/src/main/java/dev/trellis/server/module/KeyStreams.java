package dev.trellis.server.module;

import dev.trellis.server.config.Config;
import dev.trellis.server.types.stream.RedisStream;
import dev.trellis.server.types.stream.StreamId;
import dev.trellis.server.types.stream.StreamIterator;

/**
 * The stream key API (RM_StreamAdd, RM_StreamDelete, the stream iterator, RM_StreamTrim*) over
 * {@link RedisStream}, with Redis's rules and errnos (stored in {@link KeyAggregates#errno}).
 * As in Redis the API fires no keyspace events and never deletes a stream it emptied: the
 * module decides; blocked readers are woken when the key is closed.
 */
public final class KeyStreams {
    public static final int ADD_AUTOID = 1;
    public static final int ITERATOR_EXCLUSIVE = 1;
    public static final int ITERATOR_REVERSE = 1 << 1;
    public static final int TRIM_APPROX = 1;

    static final int EFBIG = 27;
    static final int ERANGE = 34;

    private KeyStreams() {
    }

    /** The iteration state of a key between RM_StreamIteratorStart and Stop. */
    public static final class Cursor {
        final StreamIterator it;
        /** The entry NextID returned last; null when there is none (or it was deleted). */
        StreamId current;
        long fieldsLeft;

        Cursor(StreamIterator it) {
            this.it = it;
        }

        /** The ID of the entry NextID moved to. */
        public StreamId id() {
            return current;
        }

        /** The field count of the entry NextID moved to. */
        public long fields() {
            return fieldsLeft;
        }
    }

    private static boolean fail(int e) {
        KeyAggregates.errno = e;
        return false;
    }

    private static RedisStream stream(ModuleKey k) {
        return k.value() instanceof RedisStream s ? s : null;
    }

    /**
     * RM_StreamAdd: appends {@code fv} (field/value pairs) with {@code id}, or an automatic ID
     * when {@code id} is null; returns the ID added, or null with errno set.
     */
    public static StreamId add(ModuleKey k, StreamId id, byte[][] fv) {
        Object v = k.value();
        if (v != null && !(v instanceof RedisStream)) {
            fail(KeyAggregates.ENOTSUP);
            return null;
        }
        if (!k.writable()) {
            fail(KeyAggregates.EBADF);
            return null;
        }
        if (id != null && id.isZero()) {
            fail(KeyAggregates.EDOM);
            return null;
        }
        RedisStream s = (RedisStream) v;
        boolean created = s == null;
        if (created) {
            s = new RedisStream();
        }
        if (s.lastId().equals(StreamId.MAX)) {
            fail(EFBIG);
            return null;
        }
        Config cfg = k.host().server().config();
        StreamId added;
        try {
            added = s.add(fv, 0, fv.length / 2, id, true, k.db().keyspace().now(),
                    cfg.streamNodeMaxBytes, cfg.streamNodeMaxEntries);
        } catch (RedisStream.TooLargeException e) {
            fail(ERANGE);
            return null;
        }
        if (added == null) {
            fail(KeyAggregates.EDOM);
            return null;
        }
        if (created) {
            k.db().add(k.key(), s);
        }
        k.signalReadyOnClose = true;
        return added;
    }

    /** RM_StreamDelete. */
    public static boolean delete(ModuleKey k, StreamId id) {
        RedisStream s = stream(k);
        if (s == null) {
            return fail(KeyAggregates.ENOTSUP);
        }
        if (!k.writable() || k.iterator != null) {
            return fail(KeyAggregates.EBADF);
        }
        return s.delete(id) || fail(KeyAggregates.ENOENT);
    }

    /** RM_StreamIteratorStart: {@code start}/{@code end} null for the stream's ends. */
    public static boolean start(ModuleKey k, int flags, StreamId start, StreamId end) {
        RedisStream s = stream(k);
        if (s == null) {
            return fail(KeyAggregates.ENOTSUP);
        }
        if (k.iterator != null) {
            return fail(KeyAggregates.EBADF);
        }
        if ((flags & ITERATOR_EXCLUSIVE) != 0) {
            if (start != null) {
                start = start.next();
                if (start == null) {
                    return fail(KeyAggregates.EDOM);
                }
            }
            if (end != null) {
                end = end.previous();
                if (end == null) {
                    return fail(KeyAggregates.EDOM);
                }
            }
        }
        k.iterator = new Cursor(s.iterator(start, end, (flags & ITERATOR_REVERSE) != 0));
        return true;
    }

    /** The key's stream cursor, or null with errno set (no stream, no iterator). */
    private static Cursor cursor(ModuleKey k) {
        if (stream(k) == null) {
            fail(KeyAggregates.ENOTSUP);
            return null;
        }
        if (!(k.iterator instanceof Cursor c)) {
            fail(KeyAggregates.EBADF);
            return null;
        }
        return c;
    }

    /** RM_StreamIteratorStop. */
    public static boolean stop(ModuleKey k) {
        if (cursor(k) == null) {
            return false;
        }
        k.iterator = null;
        return true;
    }

    /** RM_StreamIteratorNextID: the cursor positioned on the next entry, or null with errno set. */
    public static Cursor nextId(ModuleKey k) {
        Cursor c = cursor(k);
        if (c == null) {
            return null;
        }
        if (c.it.next()) {
            c.current = c.it.id();
            c.fieldsLeft = c.it.numFields();
            return c;
        }
        c.current = null;
        c.fieldsLeft = 0;
        fail(KeyAggregates.ENOENT);
        return null;
    }

    /** RM_StreamIteratorNextField: the next {field, value}, or null with errno set. */
    public static byte[][] nextField(ModuleKey k) {
        Cursor c = cursor(k);
        if (c == null) {
            return null;
        }
        if (c.fieldsLeft <= 0) {
            fail(KeyAggregates.ENOENT);
            return null;
        }
        c.it.nextField();
        c.fieldsLeft--;
        return new byte[][] {c.it.field(), c.it.value()};
    }

    /** RM_StreamIteratorDelete: deletes the entry NextID returned last. */
    public static boolean deleteCurrent(ModuleKey k) {
        if (stream(k) == null) {
            return fail(KeyAggregates.ENOTSUP);
        }
        if (!k.writable() || !(k.iterator instanceof Cursor c)) {
            return fail(KeyAggregates.EBADF);
        }
        if (c.current == null) {
            return fail(KeyAggregates.ENOENT);
        }
        c.it.removeCurrent();
        c.current = null;
        c.fieldsLeft = 0;
        return true;
    }

    /**
     * RM_StreamTrimByLength ({@code minId} null) or RM_StreamTrimByID: entries removed, or -1
     * with errno set. Approximate trims remove whole nodes only, at most 100 nodes' worth of
     * entries per call, as Redis's module API does.
     */
    public static long trim(ModuleKey k, int flags, long maxLen, StreamId minId) {
        RedisStream s = stream(k);
        if (s == null) {
            fail(KeyAggregates.ENOTSUP);
            return -1;
        }
        if (!k.writable()) {
            fail(KeyAggregates.EBADF);
            return -1;
        }
        boolean approx = (flags & TRIM_APPROX) != 0;
        long limit = approx ? 100 * k.host().server().config().streamNodeMaxEntries : 0;
        return minId == null ? s.trimByLength(maxLen, approx, limit) : s.trimById(minId, approx, limit);
    }
}
