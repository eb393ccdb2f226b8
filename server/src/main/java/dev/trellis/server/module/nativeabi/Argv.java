package dev.trellis.server.module.nativeabi;

/**
 * {@code RedisModuleString **argv} vectors handed to module functions. The strings start with
 * one reference each, dropped after the call; a module that retained one keeps it alive.
 */
final class Argv {
    private Argv() {
    }

    /** A native vector of new strings for {@code argv[0, argc)}. */
    static long create(byte[][] argv, int argc) {
        long v = Native.malloc(8L * Math.max(1, argc));
        for (int i = 0; i < argc; i++) {
            Native.putLong(v + 8L * i, NativeStrings.create(argv[i]));
        }
        return v;
    }

    /** Drops the vector's references and frees it. */
    static void release(long v, int argc) {
        for (int i = 0; i < argc; i++) {
            NativeStrings.release(Native.getLong(v + 8L * i));
        }
        Native.free(v);
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
