package dev.trellis.server.persist.rdb;

import dev.trellis.server.keyspace.AccessClock;
import dev.trellis.server.keyspace.Dict;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.keyspace.Keyspace;
import dev.trellis.server.keyspace.SnapshotHook;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Writes the keyspace as an RDB stream, as it was at the moment the snapshot started, without
 * fork(): the databases are walked in steps (in SCAN cursor order, which stays valid while the
 * tables resize), and while the walk runs a {@link SnapshotHook} serialises any key the walk
 * has not reached yet just before it is changed, removed or handed to a write command. Keys
 * created during the walk are remembered and left out. Early keys of another database are
 * preceded by a SELECTDB, which loaders accept anywhere.
 *
 * <p>A key's place relative to the walk is decided by its hash: the cursor visits buckets in
 * the order of their bit-reversed index, so a key is behind the walk exactly when its reversed
 * hash is below the reversed cursor (see {@link #visited}).
 *
 * <p>Everything runs on the server thread; the output's sink may hand the bytes to another
 * thread for the file I/O.
 */
public final class RdbSnapshot implements SnapshotHook {
    /** What goes into the file besides the keys. */
    public static final class Options {
        public int version = Rdb.DEFAULT_VERSION;
        /** Written as aux "aof-base" 1 and keys are never dropped as expired when read back. */
        public boolean aofBase;
        /** "lru", "lfu" or null: which access hint to save per key (maxmemory-policy). */
        public String accessHints;
        public long usedMemory;
        public String redisVersion = "7.2.4";
        /** Function library sources to save as FUNCTION2 records. */
        public List<byte[]> functions = List.of();
    }

    /** How keys are written: as RDB records (files, AOF preamble) or as commands (AOF base). */
    public interface Format {
        void header(RdbOutput out);

        void selectDb(RdbOutput out, int db);

        void resizeDb(RdbOutput out, long keys, long expires);

        void key(RdbOutput out, KeyEntry e, int db);

        void trailer(RdbOutput out, boolean checksum);

        /** Function libraries in a form other than the RDB header's FUNCTION2 records (AOF commands). */
        default void functions(RdbOutput out, List<byte[]> codes) {
        }
    }

    private final Keyspace keyspace;
    private final RdbOutput out;
    private final Options opt;
    private final Format format;
    private final BooleanSupplier writeContext;
    private final Dict[] dicts;
    private final long[] sizes;
    private final long[] expires;
    private final Set<KeyEntry> done = Collections.newSetFromMap(new IdentityHashMap<>());
    private int curDb;
    private long cursor;
    private boolean dbStarted;
    /** Keys of the current database whose reversed hash is below this were written. */
    private long frontier;
    private int outDb = -1;
    private long keysWritten;
    private final long totalKeys;
    private boolean attached;

    /**
     * @param writeContext tells whether the command running now may write (a lookup from a
     *                     read-only command does not need the key saved first)
     */
    public RdbSnapshot(Keyspace keyspace, RdbOutput out, Options opt, BooleanSupplier writeContext) {
        this(keyspace, out, opt, writeContext, null);
    }

    /** A snapshot in another format ({@code null}: RDB). */
    public RdbSnapshot(Keyspace keyspace, RdbOutput out, Options opt, BooleanSupplier writeContext, Format format) {
        this.keyspace = keyspace;
        this.out = out;
        this.opt = opt;
        this.format = format != null ? format : new RdbFormat();
        this.writeContext = writeContext;
        int n = keyspace.databases();
        dicts = new Dict[n];
        sizes = new long[n];
        expires = new long[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            dicts[i] = keyspace.db(i).dict();
            sizes[i] = keyspace.db(i).size();
            expires[i] = keyspace.db(i).volatileSize();
            total += sizes[i];
        }
        totalKeys = total;
    }

    public long keysWritten() {
        return keysWritten;
    }

    public long totalKeys() {
        return totalKeys;
    }

    public RdbOutput output() {
        return out;
    }

    /** Starts watching writes: from now on the file shows this moment's keyspace. */
    public void attach() {
        if (keyspace.snapshotHook() != null && keyspace.snapshotHook() != this) {
            throw new IllegalStateException("another snapshot is running");
        }
        keyspace.snapshotHook(this);
        attached = true;
    }

    /** Stops watching writes (after the walk finished, or to abandon the snapshot). */
    public void detach() {
        if (attached && keyspace.snapshotHook() == this) {
            keyspace.snapshotHook(null);
        }
        attached = false;
        done.clear();
    }

    /** The signature, aux fields, module aux data (before keys) and functions. */
    public void writeHeader() {
        format.header(out);
        if (!(format instanceof RdbFormat) && !opt.functions.isEmpty()) {
            format.functions(out, opt.functions);
        }
    }

    /** The RDB form of keys, with the file's header and trailer. */
    private final class RdbFormat implements Format {
        @Override
        public void header(RdbOutput out) {
            writeRdbHeader();
        }

        @Override
        public void selectDb(RdbOutput out, int db) {
            out.writeByte(Rdb.OPCODE_SELECTDB);
            out.writeLen(db);
        }

        @Override
        public void resizeDb(RdbOutput out, long keys, long expires) {
            out.writeByte(Rdb.OPCODE_RESIZEDB);
            out.writeLen(keys);
            out.writeLen(expires);
        }

        @Override
        public void key(RdbOutput out, KeyEntry e, int db) {
            writeKey(out, e, opt, db);
        }

        @Override
        public void trailer(RdbOutput out, boolean checksum) {
            moduleAux(2);
            out.writeByte(Rdb.OPCODE_EOF);
            out.writeInt64LE(checksum ? out.checksum() : 0);
        }
    }

    private void writeRdbHeader() {
        out.writeRaw(String.format("REDIS%04d", opt.version).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        aux("redis-ver", opt.redisVersion);
        aux("redis-bits", "64");
        aux("ctime", Long.toString(System.currentTimeMillis() / 1000));
        aux("used-mem", Long.toString(opt.usedMemory));
        aux("aof-base", opt.aofBase ? "1" : "0");
        moduleAux(1);
        for (byte[] f : opt.functions) {
            out.writeByte(Rdb.OPCODE_FUNCTION2);
            out.writeString(f);
        }
    }

    private void aux(String k, String v) {
        out.writeByte(Rdb.OPCODE_AUX);
        out.writeString(k);
        out.writeString(v);
    }

    private void moduleAux(int when) {
        for (ModuleTypeCodec m : ModuleTypes.all()) {
            if (!m.hasAux(when)) {
                continue;
            }
            // Written to a side buffer first: a type with nothing to say writes nothing.
            RdbOutput side = new RdbOutput(true);
            side.writeByte(Rdb.OPCODE_MODULE_AUX);
            side.writeLen(m.id());
            side.writeLen(Rdb.MODULE_OPCODE_UINT);
            side.writeLen(when);
            if (m.auxSave(new ModuleRdbIO(side), when)) {
                side.writeLen(Rdb.MODULE_OPCODE_EOF);
                out.writeRaw(side.toByteArray());
            }
        }
    }

    /** Module aux data (after keys), EOF and the checksum (0 when checksums are off). */
    public void writeTrailer(boolean checksum) {
        format.trailer(out, checksum);
        out.flush();
    }

    /** True once every database has been walked. */
    public boolean finished() {
        return curDb >= dicts.length;
    }

    /**
     * Walks on until about {@code maxKeys} more keys were written (whole buckets at a time).
     * Returns true when the walk is complete.
     */
    public boolean step(long maxKeys) {
        long target = keysWritten + maxKeys;
        while (curDb < dicts.length && keysWritten < target) {
            if (!dbStarted) {
                if (sizes[curDb] == 0) {
                    curDb++;
                    continue;
                }
                selectDb(curDb);
                format.resizeDb(out, sizes[curDb], expires[curDb]);
                dbStarted = true;
                cursor = 0;
                frontier = 0;
            }
            int db = curDb;
            // Collect a run of buckets, read every entry's key and value once (independent loads
            // whose cache misses overlap), then write them: walking bucket by bucket would take
            // each miss in turn. No command runs inside a step, so the entries stay as they are.
            batchSize = 0;
            int buckets = 0;
            // whole buckets, but no more of them than keys asked for (rdb-key-save-delay steps by one)
            long maxBuckets = Math.min(BATCH_BUCKETS, Math.max(1, target - keysWritten));
            do {
                batchFrontier = frontier;
                cursor = dicts[db].scan(cursor, collect);
                if (cursor == 0) {
                    frontier = 0;
                } else {
                    frontier = Math.max(frontier, reversed((int) cursor));
                }
            } while (cursor != 0 && ++buckets < maxBuckets && batchSize < BATCH_ENTRIES);
            int touched = 0;
            for (int i = 0; i < batchSize; i++) {
                KeyEntry e = batch[i];
                touched += e.key().length + (e.value() instanceof byte[] b ? b.length : 1);
            }
            this.touched += touched;
            for (int i = 0; i < batchSize; i++) {
                KeyEntry e = batch[i];
                batch[i] = null;
                if (reversed(e.hash()) < batchFrontiers[i]) {
                    continue; // seen before the table shrank
                }
                if (!done.isEmpty() && done.remove(e)) {
                    continue; // written early, or created after the snapshot started
                }
                emit(db, e);
            }
            if (cursor == 0) {
                curDb++;
                dbStarted = false;
                frontier = 0;
            }
        }
        return finished();
    }

    private static final int BATCH_BUCKETS = 64;
    private static final int BATCH_ENTRIES = 256;
    private KeyEntry[] batch = new KeyEntry[BATCH_ENTRIES];
    private long[] batchFrontiers = new long[BATCH_ENTRIES];
    private int batchSize;
    /** The frontier that applies to the bucket being collected. */
    private long batchFrontier;
    /** Keeps the warming reads observable. */
    private int touched;
    private final java.util.function.Consumer<KeyEntry> collect = e -> {
        if (batchSize == batch.length) {
            batch = java.util.Arrays.copyOf(batch, batchSize * 2);
            batchFrontiers = java.util.Arrays.copyOf(batchFrontiers, batchSize * 2);
        }
        batchFrontiers[batchSize] = batchFrontier;
        batch[batchSize++] = e;
    };

    private static long reversed(int h) {
        return Integer.toUnsignedLong(Integer.reverse(h));
    }

    private int indexOf(Dict d) {
        for (int i = 0; i < dicts.length; i++) {
            if (dicts[i] == d) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the walk already wrote (or passed) a key with this hash in database {@code i}. */
    private boolean visited(int i, int hash) {
        if (i != curDb) {
            return i < curDb;
        }
        return dbStarted && reversed(hash) < frontier;
    }

    @Override
    public void lookedUp(Dict dict, KeyEntry e) {
        if (writeContext.getAsBoolean()) {
            changing(dict, e);
        }
    }

    @Override
    public void changing(Dict dict, KeyEntry e) {
        int i = indexOf(dict);
        if (i < 0 || visited(i, e.hash())) {
            return;
        }
        if (done.add(e)) {
            emit(i, e);
        }
    }

    @Override
    public void added(Dict dict, KeyEntry e) {
        int i = indexOf(dict);
        if (i >= 0 && !visited(i, e.hash())) {
            done.add(e);
        }
    }

    private void selectDb(int db) {
        if (outDb != db) {
            format.selectDb(out, db);
            outDb = db;
        }
    }

    private void emit(int db, KeyEntry e) {
        selectDb(db);
        format.key(out, e, db);
        keysWritten++;
        out.maybeFlush();
    }

    /** One key with its expiry and access hints, as in an RDB file. */
    static void writeKey(RdbOutput out, KeyEntry e, Options opt, int db) {
        long expireAt = e.expireAt();
        if (expireAt != KeyEntry.NO_EXPIRE) {
            out.writeByte(Rdb.OPCODE_EXPIRETIME_MS);
            out.writeInt64LE(expireAt);
        }
        if ("lru".equals(opt.accessHints)) {
            out.writeByte(Rdb.OPCODE_IDLE);
            out.writeLen(AccessClock.idleSeconds(e.access()));
        } else if ("lfu".equals(opt.accessHints)) {
            out.writeByte(Rdb.OPCODE_FREQ);
            out.writeByte(AccessClock.Lfu.current(e.access()) & 0xff);
        }
        Object v = e.value();
        out.writeByte(ValueCodec.rdbType(v, opt.version));
        out.writeString(e.key());
        ValueCodec.write(out, v, opt.version, e.key(), db);
    }
}
