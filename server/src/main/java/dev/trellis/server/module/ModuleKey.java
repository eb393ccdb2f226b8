package dev.trellis.server.module;

import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.keyspace.Keyspace;
import dev.trellis.server.types.RedisValue;

/**
 * {@code RedisModuleKey}: a key opened by module code, with the low-level key API's semantics
 * (RM_OpenKey and friends). The value is looked up afresh for each operation, so a key handle
 * never points at a value that was replaced meanwhile.
 */
public final class ModuleKey {
    public static final int READ = 1;
    public static final int WRITE = 1 << 1;
    public static final int NOTOUCH = 1 << 16;
    public static final int NONOTIFY = 1 << 17;
    public static final int NOSTATS = 1 << 18;
    public static final int NOEXPIRE = 1 << 19;
    public static final int NOEFFECTS = 1 << 20;
    public static final int ACCESS_EXPIRED = 1 << 21;
    public static final int MODES_ALL = READ | WRITE | NOTOUCH | NONOTIFY | NOSTATS | NOEXPIRE | NOEFFECTS | ACCESS_EXPIRED;

    public static final int KEYTYPE_EMPTY = 0;
    public static final int KEYTYPE_STRING = 1;
    public static final int KEYTYPE_LIST = 2;
    public static final int KEYTYPE_HASH = 3;
    public static final int KEYTYPE_SET = 4;
    public static final int KEYTYPE_ZSET = 5;
    public static final int KEYTYPE_MODULE = 6;
    public static final int KEYTYPE_STREAM = 7;

    public static final long NO_EXPIRE = -1;
    public static final long MAX_STRING = 512L * 1024 * 1024;

    private final ModuleHost host;
    private final Module module;
    private final Database db;
    private final byte[] key;
    private final int mode;
    /** Native face: the RedisModuleKey* handle, the RedisModuleString* of the name, DMA state. */
    public long address;
    public long nameString;
    public long dmaPtr;
    public long dmaLen;
    public boolean dmaWritable;
    /** Native face: the DMA buffer came from the face's pool of small buffers. */
    public boolean dmaPooled;
    /** Native face: the RedisModuleCtx* the key was opened in (auto memory of strings read from it). */
    public long ownerCtx;
    /** Type-specific iteration state (zset ranges, list positions, stream iterators). */
    public Object iterator;
    /** Set by RM_StreamAdd: readers blocked on the key are woken when it is closed. */
    public boolean signalReadyOnClose;
    /** What open found (null when missing), for a face to cache right after opening. */
    private final Object valueAtOpen;

    private ModuleKey(ModuleHost host, Module module, Database db, byte[] key, int mode, Object valueAtOpen) {
        this.host = host;
        this.module = module;
        this.db = db;
        this.key = key;
        this.mode = mode;
        this.valueAtOpen = valueAtOpen;
    }

    /**
     * The value open found, without a new lookup: only meaningful right after {@link #open}
     * (later, use {@link #value}).
     */
    public Object valueAtOpen() {
        return valueAtOpen;
    }

    /**
     * RM_OpenKey: null when opened for reading only and the key does not exist (or expired).
     * Reads count keyspace hits/misses and fire "keymiss" unless the mode says otherwise.
     */
    public static ModuleKey open(ModuleHost host, Module module, Database db, byte[] key, int mode) {
        int flags = mode;
        if ((flags & NOEFFECTS) != 0) {
            flags |= NOTOUCH | NONOTIFY | NOSTATS | NOEXPIRE;
        }
        boolean write = (mode & WRITE) != 0;
        Keyspace ks = db.keyspace();
        Object value;
        if ((flags & NOEXPIRE) != 0 || (flags & ACCESS_EXPIRED) != 0) {
            KeyEntry e = db.peek(key);
            boolean expired = e != null && e.expireAt() != KeyEntry.NO_EXPIRE && e.expireAt() <= ks.now();
            if (expired && (flags & (NOEXPIRE | ACCESS_EXPIRED)) == 0) {
                db.lookup(key); // deletes it
                e = null;
            }
            value = e == null || (expired && (flags & ACCESS_EXPIRED) == 0) ? null : e.value();
            if (value != null && !expired && (flags & NOTOUCH) == 0) {
                db.get(key); // updates the access clock (an expired key is left as it is)
            }
        } else if ((flags & NOTOUCH) != 0) {
            KeyEntry e = db.lookup(key);
            value = e == null ? null : e.value();
        } else {
            value = db.get(key);
        }
        if (!write) {
            if (value == null) {
                if ((flags & NONOTIFY) == 0) {
                    ks.notify(EventType.KEY_MISS, "keymiss", key, db.id());
                }
                if ((flags & NOSTATS) == 0) {
                    ks.keyspaceMisses++;
                }
                return null;
            }
            if ((flags & NOSTATS) == 0) {
                ks.keyspaceHits++;
            }
        }
        return new ModuleKey(host, module, db, key, mode, value);
    }

    public ModuleHost host() {
        return host;
    }

    public Database db() {
        return db;
    }

    public byte[] key() {
        return key;
    }

    public int mode() {
        return mode;
    }

    public boolean writable() {
        return (mode & WRITE) != 0;
    }

    /** The entry as the key API sees it: null when missing or expired (unless opened to see those). */
    public KeyEntry entry() {
        KeyEntry e = db.peek(key);
        if (e != null && e.expireAt() != KeyEntry.NO_EXPIRE && e.expireAt() <= db.keyspace().now()
                && (mode & ACCESS_EXPIRED) == 0 && !db.keyspace().expiryPaused()) {
            return null; // (while expiry is paused, as during loading or a key event, it is still there)
        }
        return e;
    }

    public Object value() {
        KeyEntry e = entry();
        return e == null ? null : e.value();
    }

    /** RM_KeyType. */
    public int type() {
        return typeOf(value());
    }

    public static int typeOf(Object v) {
        if (v == null) {
            return KEYTYPE_EMPTY;
        }
        if (v instanceof byte[]) {
            return KEYTYPE_STRING;
        }
        return switch (((RedisValue) v).typeName()) {
            case "list" -> KEYTYPE_LIST;
            case "hash" -> KEYTYPE_HASH;
            case "set" -> KEYTYPE_SET;
            case "zset" -> KEYTYPE_ZSET;
            case "stream" -> KEYTYPE_STREAM;
            default -> KEYTYPE_MODULE;
        };
    }

    /** RM_ValueLength: string length or element count; 0 for empty keys. */
    public long length() {
        return lengthOf(value());
    }

    /** The length RM_ValueLength reports for a value (null and module values: 0, as Redis). */
    public static long lengthOf(Object v) {
        if (v == null || v instanceof ModuleValue) {
            return 0;
        }
        if (v instanceof byte[] b) {
            return b.length;
        }
        return TypeAccess.length((RedisValue) v);
    }

    /** RM_DeleteKey / RM_UnlinkKey: false when not opened for writing. */
    public boolean delete() {
        if (!writable()) {
            return false;
        }
        if (entry() != null) {
            db.delete(key);
        }
        return true;
    }

    /** RM_GetExpire: remaining ms, or NO_EXPIRE. */
    public long ttl() {
        KeyEntry e = entry();
        if (e == null || e.expireAt() == KeyEntry.NO_EXPIRE) {
            return NO_EXPIRE;
        }
        long left = e.expireAt() - db.keyspace().now();
        return Math.max(0, left);
    }

    /** RM_GetAbsExpire. */
    public long expireAt() {
        KeyEntry e = entry();
        return e == null || e.expireAt() == KeyEntry.NO_EXPIRE ? NO_EXPIRE : e.expireAt();
    }

    /** RM_SetExpire (relative) or RM_SetAbsExpire; false on Redis's failures. */
    public boolean expire(long ms, boolean absolute) {
        KeyEntry e = entry();
        if (!writable() || e == null || (ms < 0 && ms != NO_EXPIRE)) {
            return false;
        }
        if (ms == NO_EXPIRE) {
            db.removeExpire(e);
        } else {
            db.setExpire(e, absolute ? ms : ms + db.keyspace().now());
        }
        return true;
    }

    /** RM_StringSet: replaces whatever the key held (and its TTL) with a string. */
    public boolean set(byte[] value) {
        if (!writable() || iterator != null) {
            return false;
        }
        db.set(key, value, false);
        return true;
    }

    /** Replaces a string value in place, keeping its TTL (DMA write-back, truncation). */
    public void replaceString(byte[] value) {
        KeyEntry e = entry();
        if (e == null) {
            db.add(key, value);
        } else {
            e.value(value);
        }
    }

    /** RM_StringTruncate: false when not writable, not a string, or too long. */
    public boolean truncate(long newLen) {
        if (!writable() || newLen > MAX_STRING || newLen < 0) {
            return false;
        }
        Object v = value();
        if (v != null && !(v instanceof byte[])) {
            return false;
        }
        if (v == null && newLen == 0) {
            return true;
        }
        byte[] old = v == null ? new byte[0] : (byte[]) v;
        byte[] b = java.util.Arrays.copyOf(old, (int) newLen); // zero padding when growing
        if (v == null) {
            db.set(key, b, false);
        } else {
            replaceString(b);
        }
        return true;
    }

    /** Called when the key is closed: a write-opened key counts as modified (WATCH, tracking). */
    public void closed() {
        iterator = null;
        if (writable() && (module == null || (module.options() & 2) == 0)) {
            db.keyspace().signalModified(db, key);
        }
        if (signalReadyOnClose) {
            // Modifying a key does not ready it for blocked clients; a stream add does (Redis).
            signalReadyOnClose = false;
            host.server().blocking().signalReady(db, key);
        }
    }
}
