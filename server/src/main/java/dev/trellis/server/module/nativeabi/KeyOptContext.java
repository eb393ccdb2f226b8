package dev.trellis.server.module.nativeabi;

/**
 * {@code RedisModuleKeyOptCtx}: the key names and databases a type's mem_usage2,
 * free_effort2, unlink2 and copy2 callbacks may ask about. Lives for one callback.
 */
final class KeyOptContext {
    static final long TAG = 0x5452454c4c4b4f43L; // "TRELLKOC"

    private final byte[] from;
    private final byte[] to;
    final int fromDb;
    final int toDb;
    long fromString;
    long toString;
    private long address;

    KeyOptContext(byte[] from, byte[] to, int fromDb, int toDb) {
        this.from = from;
        this.to = to;
        this.fromDb = fromDb;
        this.toDb = toDb;
    }

    long open() {
        fromString = from == null ? 0 : NativeStrings.create(from);
        toString = to == null ? 0 : NativeStrings.create(to);
        address = NativeRuntime.get().handles.create(this, TAG);
        return address;
    }

    void close() {
        NativeRuntime.get().handles.release(address);
        if (fromString != 0) {
            NativeStrings.release(fromString);
        }
        if (toString != 0) {
            NativeStrings.release(toString);
        }
    }

    static KeyOptContext of(long p) {
        KeyOptContext k = (KeyOptContext) NativeRuntime.get().handles.get(p, TAG);
        if (k == null) {
            throw new IllegalArgumentException("not a RedisModuleKeyOptCtx: 0x" + Long.toHexString(p));
        }
        return k;
    }
}
