package dev.trellis.server.module.nativeabi;

/**
 * {@code RedisModuleString **argv} vectors handed to module functions. The strings start with
 * one reference each, dropped after the call; a module that retained one keeps it alive.
 *
 * <p>Every module command call builds one, so the server thread recycles them instead of
 * going to malloc for each: small vectors and the blocks of short argument strings are kept in
 * free lists. A vector has twice {@code argc} slots: the second half records the strings we
 * put in, so a block is only recycled when the module neither retained nor replaced it.
 * Other threads (blocked-client callbacks run there only under the GIL, but to be safe) take
 * the plain malloc path.
 */
final class Argv {
    /** Vectors of up to this many arguments are recycled. */
    private static final int POOLED_ARGC = 16;
    /** String blocks for arguments of up to {@code SMALL - HEADER - 1} bytes are recycled. */
    private static final long SMALL = 96;
    private static final int SMALL_MAX_LEN = (int) (SMALL - NativeStrings.HEADER - 1);

    private static final java.util.concurrent.atomic.AtomicReference<Thread> owner =
            new java.util.concurrent.atomic.AtomicReference<>();
    private static final long[] vectors = new long[64];
    private static int vectorCount;
    private static final long[] blocks = new long[1024];
    private static int blockCount;

    private Argv() {
    }

    /** True on the thread that owns the server-thread pools (Argv's and the key DMA pool). */
    static boolean pooling() {
        Thread t = Thread.currentThread();
        Thread o = owner.get();
        if (o == null) {
            // The first caller is a server thread (module commands run there); with several
            // servers in one JVM (tests) the others use malloc.
            return owner.compareAndSet(null, t) || owner.get() == t;
        }
        return o == t;
    }

    /** A native vector of new strings for {@code argv[0, argc)}. */
    static long create(byte[][] argv, int argc) {
        boolean pool = pooling();
        long v;
        if (pool && argc <= POOLED_ARGC && vectorCount > 0) {
            v = vectors[--vectorCount];
        } else {
            v = Native.malloc(16L * (argc <= POOLED_ARGC ? POOLED_ARGC : Math.max(1, argc)));
        }
        for (int i = 0; i < argc; i++) {
            byte[] b = argv[i];
            long s;
            if (pool && b.length <= SMALL_MAX_LEN) {
                s = blockCount > 0 ? blocks[--blockCount] : Native.malloc(SMALL);
                NativeStrings.init(s, b, 0, b.length);
            } else {
                s = NativeStrings.create(b);
            }
            Native.putLong(v + 8L * i, s);
            Native.putLong(v + 8L * (argc + i), s);
        }
        return v;
    }

    /** Drops the vector's references and frees (or recycles) it. */
    static void release(long v, int argc) {
        boolean pool = owner.get() == Thread.currentThread();
        for (int i = 0; i < argc; i++) {
            long s = Native.getLong(v + 8L * (argc + i));
            if (pool && blockCount < blocks.length && Native.getLong(v + 8L * i) == s
                    && NativeStrings.refcount(s) == 1 && NativeStrings.isInline(s)
                    && NativeStrings.len(s) <= SMALL_MAX_LEN) {
                // Ours, unchanged and unshared: a SMALL block we allocated.
                Native.putLong(s + 16, 0);
                blocks[blockCount++] = s;
            } else {
                NativeStrings.release(s);
            }
        }
        if (pool && argc <= POOLED_ARGC && vectorCount < vectors.length) {
            vectors[vectorCount++] = v;
        } else {
            Native.free(v);
        }
    }

    /**
     * The bytes of string {@code s} as a Java array. When {@code s} is still one of the command's
     * own arguments (same block, unchanged: inline and the same length) this is the client's
     * array itself, which nobody modifies; otherwise a copy.
     */
    static byte[] javaBytes(dev.trellis.server.module.ModuleContext ctx, long s) {
        long v = ctx.argv;
        if (v != 0 && s != 0) {
            int argc = ctx.argc;
            for (int i = 1; i < argc; i++) {
                if (Native.getLong(v + 8L * (argc + i)) == s) {
                    byte[] b = ctx.argvBytes[i];
                    if (NativeStrings.isInline(s) && NativeStrings.len(s) == b.length) {
                        return b;
                    }
                    break;
                }
            }
        }
        return NativeStrings.bytes(s);
    }

    /**
     * The bytes {@code [ptr, ptr+len)} as a Java array: the client's own argument array when
     * they are exactly the text of one of the command's unchanged argument strings (Call's
     * {@code s} and {@code v} arguments usually are), otherwise a copy.
     */
    static byte[] javaBytes(dev.trellis.server.module.ModuleContext ctx, long ptr, long len) {
        long v = ctx.argv;
        if (v != 0) {
            int argc = ctx.argc;
            for (int i = 1; i < argc; i++) {
                long s = Native.getLong(v + 8L * (argc + i));
                if (s + NativeStrings.HEADER == ptr) {
                    byte[] b = ctx.argvBytes[i];
                    if (b.length == len && NativeStrings.isInline(s) && NativeStrings.len(s) == len) {
                        return b;
                    }
                    break;
                }
            }
        }
        return Native.bytes(ptr, len);
    }

    /** Java copies of the strings in a module-made vector. */
    static byte[][] read(long v, int argc) {
        byte[][] out = new byte[argc][];
        for (int i = 0; i < argc; i++) {
            out[i] = NativeStrings.bytes(Native.getLong(v + 8L * i));
        }
        return out;
    }
}
