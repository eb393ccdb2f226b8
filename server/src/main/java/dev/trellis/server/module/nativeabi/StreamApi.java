package dev.trellis.server.module.nativeabi;

import dev.trellis.server.module.KeyAggregates;
import dev.trellis.server.module.KeyStreams;
import dev.trellis.server.module.ModuleKey;
import dev.trellis.server.types.stream.StreamId;

/**
 * The stream key API over {@link KeyStreams}: {@code RedisModuleStreamID} is two unsigned
 * 64-bit words {ms, seq}; errno is set as Redis does; strings returned by the iterator join
 * the auto memory of the context that opened the key.
 */
final class StreamApi {
    private static final int OK = 0;
    private static final int ERR = 1;

    private StreamApi() {
    }

    private static int fail() {
        NativeRuntime.get().errno(KeyAggregates.errno);
        return ERR;
    }

    private static int invalid() {
        NativeRuntime.get().errno(KeyAggregates.EINVAL);
        return ERR;
    }

    private static StreamId readId(long p) {
        return p == 0 ? null : new StreamId(Native.getLong(p), Native.getLong(p + 8));
    }

    private static void writeId(long p, StreamId id) {
        if (p != 0) {
            Native.putLong(p, id.ms());
            Native.putLong(p + 8, id.seq());
        }
    }

    @Api(onError = ERR)
    static int StreamAdd(long keyp, int flags, long idp, long argv, long numfields) {
        ModuleKey k = KeyApi.key(keyp);
        boolean auto = (flags & KeyStreams.ADD_AUTOID) != 0;
        if (k == null || (numfields != 0 && argv == 0) || numfields < 0 || numfields > Integer.MAX_VALUE / 2
                || (flags & ~KeyStreams.ADD_AUTOID) != 0 || (!auto && idp == 0)) {
            return invalid();
        }
        byte[][] fv = new byte[(int) numfields * 2][];
        for (int i = 0; i < fv.length; i++) {
            long s = Native.getLong(argv + 8L * i);
            if (s == 0) {
                return invalid();
            }
            fv[i] = NativeStrings.bytes(s);
        }
        StreamId added = KeyStreams.add(k, auto ? null : readId(idp), fv);
        if (added == null) {
            return fail();
        }
        writeId(idp, added);
        return OK;
    }

    @Api(onError = ERR)
    static int StreamDelete(long keyp, long idp) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null || idp == 0) {
            return invalid();
        }
        return KeyStreams.delete(k, readId(idp)) ? OK : fail();
    }

    @Api(onError = ERR)
    static int StreamIteratorStart(long keyp, int flags, long startp, long endp) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null || (flags & ~(KeyStreams.ITERATOR_EXCLUSIVE | KeyStreams.ITERATOR_REVERSE)) != 0) {
            return invalid();
        }
        return KeyStreams.start(k, flags, readId(startp), readId(endp)) ? OK : fail();
    }

    @Api(onError = ERR)
    static int StreamIteratorStop(long keyp) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null) {
            return invalid();
        }
        return KeyStreams.stop(k) ? OK : fail();
    }

    @Api(onError = ERR)
    static int StreamIteratorNextID(long keyp, long idp, long numfieldsp) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null) {
            return invalid();
        }
        KeyStreams.Cursor c = KeyStreams.nextId(k);
        if (c == null) {
            return fail();
        }
        writeId(idp, c.id());
        if (numfieldsp != 0) {
            Native.putLong(numfieldsp, c.fields());
        }
        return OK;
    }

    @Api(onError = ERR)
    static int StreamIteratorNextField(long keyp, long fieldp, long valuep) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null) {
            return invalid();
        }
        byte[][] fv = KeyStreams.nextField(k);
        if (fv == null) {
            return fail();
        }
        long ctx = KeyApi.owner(keyp);
        if (fieldp != 0) {
            Native.putLong(fieldp, StringApi.create(ctx, fv[0]));
        }
        if (valuep != 0) {
            Native.putLong(valuep, StringApi.create(ctx, fv[1]));
        }
        return OK;
    }

    @Api(onError = ERR)
    static int StreamIteratorDelete(long keyp) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null) {
            return invalid();
        }
        return KeyStreams.deleteCurrent(k) ? OK : fail();
    }

    @Api(onError = -1)
    static long StreamTrimByLength(long keyp, int flags, long length) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null || (flags & ~KeyStreams.TRIM_APPROX) != 0 || length < 0) {
            invalid();
            return -1;
        }
        long n = KeyStreams.trim(k, flags, length, null);
        if (n < 0) {
            fail();
        }
        return n;
    }

    @Api(onError = -1)
    static long StreamTrimByID(long keyp, int flags, long idp) {
        ModuleKey k = KeyApi.key(keyp);
        if (k == null || (flags & ~KeyStreams.TRIM_APPROX) != 0 || idp == 0) {
            invalid();
            return -1;
        }
        long n = KeyStreams.trim(k, flags, 0, readId(idp));
        if (n < 0) {
            fail();
        }
        return n;
    }
}
