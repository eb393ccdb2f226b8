package dev.trellis.server.module.nativeabi;

import dev.trellis.server.client.Client;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.KeyAggregates;
import dev.trellis.server.module.ModuleKey;
import dev.trellis.server.resp.DoubleFormat;
import dev.trellis.server.types.hash.RedisHash;
import dev.trellis.server.types.set.RedisSet;
import dev.trellis.server.types.zset.ZSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Scanning: ScanCursorCreate/Restart/Destroy, Scan (the keyspace, one dictionary bucket per
 * call, with SCAN's guarantees) and ScanKey (a hash, set or sorted set: small encodings in one
 * call, tables a bucket at a time). The keys of a step are collected before the callback runs,
 * so the callback may delete them.
 */
final class ScanApi {
    static final long TAG_CURSOR = 0x5452454c4c435552L; // "TRELLCUR"
    private static final int ENOENT = 2;
    private static final int EINVAL = 22;

    private ScanApi() {
    }

    /** {@code RedisModuleScanCursor}. */
    static final class Cursor {
        long cursor;
        boolean done;
    }

    static Cursor cursor(long p) {
        Cursor c = (Cursor) NativeRuntime.get().handles.get(p, TAG_CURSOR);
        if (c == null) {
            throw new IllegalArgumentException("not a RedisModuleScanCursor: 0x" + Long.toHexString(p));
        }
        return c;
    }

    @Api
    static long ScanCursorCreate() {
        return NativeRuntime.get().handles.create(new Cursor(), TAG_CURSOR);
    }

    @Api
    static void ScanCursorRestart(long p) {
        Cursor c = cursor(p);
        c.cursor = 0;
        c.done = false;
    }

    @Api
    static void ScanCursorDestroy(long p) {
        cursor(p);
        NativeRuntime.get().handles.release(p);
    }

    /** Scan: returns 1 while there is more to scan, 0 when done (errno ENOENT past the end). */
    @Api
    static int Scan(long ctxp, long cursorp, long fn, long privdata) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        Cursor cur = cursor(cursorp);
        if (cur.done) {
            NativeRuntime.get().errno(ENOENT);
            return 0;
        }
        Client c = ctx.client();
        Database db = c == null ? ctx.host().server().keyspace().db(0) : c.db();
        List<byte[]> keys = new ArrayList<>();
        long next = db.scan(cur.cursor, e -> keys.add(e.key()));
        for (byte[] k : keys) {
            KeyEntry e = db.peek(k);
            if (e == null) {
                continue;
            }
            long name = NativeStrings.create(k);
            long key = KeyApi.OpenKey(ctxp, name, ModuleKey.READ | ModuleKey.NOTOUCH | ModuleKey.NOSTATS
                    | ModuleKey.NONOTIFY);
            try {
                NativeCalls.v_jjjj(fn, ctxp, name, key, privdata);
            } finally {
                if (key != 0) {
                    KeyApi.CloseKey(key);
                }
                NativeStrings.release(name);
            }
        }
        cur.cursor = next;
        if (next == 0) {
            cur.done = true;
        }
        return cur.done ? 0 : 1;
    }

    /** ScanKey over a hash, set or sorted set: 1 while there is more, 0 when done. */
    @Api
    static int ScanKey(long keyp, long cursorp, long fn, long privdata) {
        ModuleKey k = keyp == 0 ? null : KeyApi.key(keyp);
        Cursor cur = cursor(cursorp);
        if (k == null) {
            NativeRuntime.get().errno(EINVAL);
            return 0;
        }
        Object v = k.value();
        if (!(v instanceof RedisHash) && !(v instanceof RedisSet) && !(v instanceof ZSet)) {
            NativeRuntime.get().errno(EINVAL);
            return 0;
        }
        if (cur.done) {
            NativeRuntime.get().errno(ENOENT);
            return 0;
        }
        List<byte[]> fields = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        long next = 0;
        if (v instanceof RedisHash h) {
            // Expired fields are skipped unless the key was opened to see them.
            boolean all = (k.mode() & ModuleKey.ACCESS_EXPIRED) != 0;
            if (h.isTable()) {
                next = h.scan(cur.cursor, pos -> {
                    if (all || !KeyAggregates.fieldExpired(k, h, pos)) {
                        fields.add(h.fieldAt(pos));
                        values.add(h.valueAt(pos));
                    }
                });
            } else {
                for (RedisHash.Cursor it = h.cursor(); it.next(); ) {
                    if (all || !KeyAggregates.fieldExpired(k, h, it.position())) {
                        fields.add(it.field());
                        values.add(it.value());
                    }
                }
            }
        } else if (v instanceof RedisSet s) {
            if (s.isTable()) {
                next = s.scan(cur.cursor, pos -> {
                    fields.add(s.memberAt(pos));
                    values.add(null);
                });
            } else {
                for (RedisSet.Cursor it = s.cursor(); it.next(); ) {
                    fields.add(it.bytes());
                    values.add(null);
                }
            }
        } else {
            ZSet z = (ZSet) v;
            next = z.scan(cur.cursor, 10, (member, score) -> {
                fields.add(member);
                values.add(DoubleFormat.g17(score).getBytes(StandardCharsets.US_ASCII));
            });
        }
        for (int i = 0; i < fields.size(); i++) {
            long f = NativeStrings.create(fields.get(i));
            long val = values.get(i) == null ? 0 : NativeStrings.create(values.get(i));
            try {
                NativeCalls.v_jjjj(fn, keyp, f, val, privdata);
            } finally {
                NativeStrings.release(f);
                if (val != 0) {
                    NativeStrings.release(val);
                }
            }
        }
        cur.cursor = next;
        if (next == 0) {
            cur.done = true;
        }
        return cur.done ? 0 : 1;
    }
}
