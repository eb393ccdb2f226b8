package dev.trellis.server.persist.rdb;

import dev.trellis.server.log.ServerLog;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Parses an RDB stream: header, aux fields, functions, module aux data, databases with their
 * keys, expiry and eviction hints, the EOF opcode and the checksum. Keys go to a
 * {@link Target}. Parsing can run in steps ({@link #step}) so the server can keep answering
 * (with -LOADING) while a large file loads.
 */
public final class RdbLoader {
    /** Receives what the file holds. */
    public interface Target {
        /**
         * One key. {@code expireAt} is a Unix time in ms or -1; {@code lruIdle} seconds or -1;
         * {@code lfuFreq} 0-255 or -1.
         */
        void key(int db, byte[] key, Object value, long expireAt, long lruIdle, int lfuFreq);

        /** A RESIZEDB hint for database {@code db}. */
        default void resize(int db, long keys, long expires) {
        }

        /** A function library (the code of a FUNCTION2 record). */
        default void function(byte[] code) {
        }
    }

    private final RdbInput in;
    private final int databases;
    private final Target target;
    private final boolean verifyChecksum;
    /** Whether keys already expired are dropped (a master loading a file, not an AOF base). */
    private final boolean dropExpired;
    private final LoadContext ctx = new LoadContext();
    private int version;
    private int db;
    private boolean done;
    private long expireAt = -1;
    private long lruIdle = -1;
    private int lfuFreq = -1;
    private final long now = System.currentTimeMillis();

    public long keysLoaded;
    public long keysExpired;
    public long emptyKeysSkipped;
    /** Aux field "aof-preamble" / "aof-base" seen. */
    public boolean aofBase;

    public RdbLoader(RdbInput in, int databases, Target target, boolean verifyChecksum, boolean dropExpired) {
        this.in = in;
        this.databases = databases;
        this.target = target;
        this.verifyChecksum = verifyChecksum;
        this.dropExpired = dropExpired;
    }

    /** The decoding context (set its config to build values with the server's limits). */
    public LoadContext context() {
        return ctx;
    }

    public int version() {
        return version;
    }

    public boolean done() {
        return done;
    }

    public RdbInput input() {
        return in;
    }

    /** The function libraries' code the file carried (set by {@code RdbFiles.load}). */
    public java.util.List<byte[]> functions = java.util.List.of();
    private java.util.function.LongConsumer progress;

    /** Tells {@code p} the input position after each key (loading progress points). */
    public void onProgress(java.util.function.LongConsumer p) {
        progress = p;
    }

    /** Checks the "REDIS0012"-style signature. */
    public void header() {
        byte[] magic = new byte[9];
        in.readFully(magic, 0, 9);
        String s = new String(magic, StandardCharsets.US_ASCII);
        if (!s.startsWith("REDIS")) {
            throw RdbException.corrupt("Wrong signature trying to load DB from file");
        }
        int v;
        try {
            v = Integer.parseInt(s.substring(5));
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v < 1 || v > Rdb.MAX_VERSION) {
            throw RdbException.corrupt("Can't handle RDB format version " + s.substring(5));
        }
        version = v;
    }

    /** Loads the whole stream. */
    public void loadAll() {
        header();
        while (!step(Integer.MAX_VALUE)) {
            // keep going
        }
    }

    /** Loads up to {@code maxKeys} keys; returns true once the EOF opcode and checksum were read. */
    public boolean step(int maxKeys) {
        int keys = 0;
        while (!done && keys < maxKeys) {
            int type = in.readByte();
            switch (type) {
                case Rdb.OPCODE_EXPIRETIME -> expireAt = in.readInt32LE() * 1000L;
                case Rdb.OPCODE_EXPIRETIME_MS -> expireAt = in.readInt64LE();
                case Rdb.OPCODE_FREQ -> lfuFreq = in.readByte();
                case Rdb.OPCODE_IDLE -> lruIdle = in.readLen();
                case Rdb.OPCODE_EOF -> finish();
                case Rdb.OPCODE_SELECTDB -> {
                    long id = in.readLen();
                    if (id >= databases) {
                        throw RdbException.corrupt("FATAL: Data file was created with a Redis server configured to handle more than "
                                + databases + " databases. Exiting");
                    }
                    db = (int) id;
                }
                case Rdb.OPCODE_RESIZEDB -> target.resize(db, in.readLen(), in.readLen());
                case Rdb.OPCODE_SLOT_INFO -> {
                    in.readLen();
                    in.readLen();
                    in.readLen();
                }
                case Rdb.OPCODE_AUX -> aux(in.readString(), in.readString());
                case Rdb.OPCODE_MODULE_AUX -> moduleAux();
                case Rdb.OPCODE_FUNCTION_PRE_GA -> throw RdbException.corrupt("Pre-release function format not supported.");
                case Rdb.OPCODE_FUNCTION2 -> target.function(in.readString());
                default -> {
                    readKey(type);
                    keys++;
                    if (progress != null) {
                        progress.accept(in.position());
                    }
                }
            }
        }
        return done;
    }

    private void readKey(int type) {
        if (!Rdb.isObjectType(type)) {
            throw RdbException.corrupt("Unknown RDB encoding type " + type);
        }
        byte[] key = in.readString();
        ctx.key = key;
        ctx.dbId = db;
        Object value = ValueCodec.read(in, type, ctx);
        if (value == ValueCodec.EMPTY) {
            if (emptyKeysSkipped++ < 10) {
                ServerLog.get().notice("rdbLoadObject skipping empty key: " + new String(key, StandardCharsets.UTF_8));
            }
        } else if (dropExpired && expireAt != -1 && expireAt < now) {
            keysExpired++;
        } else {
            keysLoaded++;
            target.key(db, key, value, expireAt, lruIdle, lfuFreq);
        }
        expireAt = -1;
        lruIdle = -1;
        lfuFreq = -1;
    }

    private void aux(byte[] k, byte[] v) {
        String key = new String(k, StandardCharsets.UTF_8);
        String val = new String(v, StandardCharsets.UTF_8);
        ServerLog log = ServerLog.get();
        if (key.startsWith("%")) {
            log.notice("RDB '" + key + "': " + val);
            return;
        }
        switch (key.toLowerCase(Locale.ROOT)) {
            case "redis-ver" -> log.notice("Loading RDB produced by version " + val);
            case "ctime" -> {
                long age = 0;
                try {
                    age = Math.max(0, System.currentTimeMillis() / 1000 - Long.parseLong(val.trim()));
                } catch (NumberFormatException ignored) {
                    // as strtol: garbage reads as 0
                }
                log.notice("RDB age " + age + " seconds");
            }
            case "used-mem" -> {
                long used = 0;
                try {
                    used = Long.parseLong(val.trim());
                } catch (NumberFormatException ignored) {
                    // as strtoll
                }
                log.notice(String.format(Locale.ROOT, "RDB memory usage when created %.2f Mb", used / (1024.0 * 1024)));
            }
            case "aof-preamble" -> {
                if (!val.equals("0")) {
                    aofBase = true;
                    log.notice("RDB has an AOF tail");
                }
            }
            case "aof-base" -> {
                if (!val.equals("0")) {
                    aofBase = true;
                    log.notice("RDB is base AOF");
                }
            }
            default -> log.debug("Unrecognized RDB AUX field: '" + key + "'");
        }
    }

    private void moduleAux() {
        long moduleId = in.readLenRaw();
        long whenOpcode = in.readLen();
        long when = in.readLen();
        if (whenOpcode != Rdb.MODULE_OPCODE_UINT) {
            throw RdbException.corrupt("bad when_opcode");
        }
        ModuleTypeCodec m = ModuleTypes.byId(moduleId);
        String name = ModuleTypes.nameOf(moduleId);
        if (m == null) {
            throw RdbException.corrupt("The RDB file contains AUX module data I can't load: no matching module '" + name + "'");
        }
        if (!m.hasAux((int) when)) {
            throw RdbException.corrupt("The RDB file contains module AUX data, but the module '" + name
                    + "' doesn't seem to support it.");
        }
        ModuleRdbIO io = new ModuleRdbIO(in);
        if (!m.auxLoad(io, (int) (moduleId & 1023), (int) when) || io.error()) {
            throw RdbException.corrupt("The RDB file contains module AUX data for the module type '" + name
                    + "', that the responsible module is not able to load. Check for modules log above for additional clues.");
        }
        if (in.readLen() != Rdb.MODULE_OPCODE_EOF) {
            throw RdbException.corrupt("The RDB file contains module AUX data for the module '" + name
                    + "' that is not terminated by the proper module value EOF marker");
        }
    }

    private void finish() {
        done = true;
        if (version < 5) {
            return;
        }
        long expected = in.checksum();
        long stored = in.readInt64LE();
        if (!verifyChecksum) {
            return;
        }
        if (stored == 0) {
            ServerLog.get().notice("RDB file was saved with checksum disabled: no check performed.");
        } else if (stored != expected) {
            ServerLog.get().warning(String.format("Wrong RDB checksum expected: (%x) but got (%x). Aborting now.", expected, stored));
            throw RdbException.corrupt("RDB CRC error");
        }
    }
}
