package dev.trellis.server.persist.rdb;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The RDB encoding of a keyspace value, shared by RDB files and DUMP/RESTORE: strings are
 * handled here, module values through {@link ModuleTypes}, every other type by its
 * {@link TypeCodec}.
 */
public final class ValueCodec {
    /** Returned by reads of values with no elements. */
    public static final Object EMPTY = new Object() {
        @Override
        public String toString() {
            return "empty value";
        }
    };

    private static final TypeCodec LIST = new ListCodec();
    private static final TypeCodec HASH = new HashCodec();
    private static final TypeCodec ZSET = new ZSetCodec();
    private static final TypeCodec SET = new SetCodec();
    private static final TypeCodec STREAM = new StreamCodec();
    private static final List<TypeCodec> CODECS = new CopyOnWriteArrayList<>(List.of(LIST, HASH, ZSET, SET, STREAM));

    private ValueCodec() {
    }

    /** Adds the codec of a data type. */
    public static void register(TypeCodec codec) {
        CODECS.add(codec);
    }

    private static TypeCodec saverOf(Object value) {
        // The built-in types first, by their (final) classes: one compare each, no interface calls.
        if (value instanceof dev.trellis.server.types.hash.RedisHash) {
            return HASH;
        } else if (value instanceof dev.trellis.server.types.zset.ZSet) {
            return ZSET;
        } else if (value instanceof dev.trellis.server.types.list.RedisList) {
            return LIST;
        } else if (value instanceof dev.trellis.server.types.set.RedisSet) {
            return SET;
        } else if (value instanceof dev.trellis.server.types.stream.RedisStream) {
            return STREAM;
        }
        for (TypeCodec c : CODECS) {
            if (c.saves(value)) {
                return c;
            }
        }
        return null;
    }

    /** The type byte for {@code value} in a file of format {@code version}. */
    public static int rdbType(Object value, int version) {
        if (value instanceof byte[]) {
            return Rdb.TYPE_STRING;
        }
        TypeCodec c = saverOf(value);
        if (c != null) {
            return c.rdbType(value, version);
        }
        if (ModuleTypes.forValue(value) != null) {
            return Rdb.TYPE_MODULE_2;
        }
        throw new IllegalStateException("no RDB encoding for " + value.getClass().getName());
    }

    /** Writes {@code value} in the form announced by {@link #rdbType}. */
    public static void write(RdbOutput out, Object value, int version, byte[] key, int dbId) {
        if (value instanceof byte[] s) {
            out.writeString(s);
            return;
        }
        TypeCodec c = saverOf(value);
        if (c != null) {
            c.write(out, value, version);
            return;
        }
        ModuleTypeCodec m = ModuleTypes.forValue(value);
        if (m == null) {
            throw new IllegalStateException("no RDB encoding for " + value.getClass().getName());
        }
        out.writeLen(m.id());
        m.save(new ModuleRdbIO(out), value, key, dbId);
        out.writeLen(Rdb.MODULE_OPCODE_EOF);
    }

    /** Writes the type byte and the value (a DUMP payload's body). */
    public static void writeTyped(RdbOutput out, Object value, int version, byte[] key, int dbId) {
        out.writeByte(rdbType(value, version));
        write(out, value, version, key, dbId);
    }

    /** Writes the commands that rebuild a non-string value (AOF base in command form). */
    public static void rewriteAsCommands(dev.trellis.server.persist.CommandSink out, byte[] key, Object value) {
        TypeCodec c = saverOf(value);
        if (c != null) {
            c.rewrite(out, key, value);
            return;
        }
        ModuleTypeCodec m = ModuleTypes.forValue(value);
        if (m != null && m.rewriteAof(out, key, value)) {
            return;
        }
        throw new IllegalStateException("no AOF rewrite for " + value.getClass().getName());
    }

    /** Reads a value of type {@code type}; {@link #EMPTY} for an empty aggregate. */
    public static Object read(RdbInput in, int type, LoadContext ctx) {
        if (type == Rdb.TYPE_STRING) {
            return in.readString();
        }
        if (type == Rdb.TYPE_MODULE_PRE_GA) {
            throw RdbException.corrupt("Pre-release module format not supported");
        }
        if (type == Rdb.TYPE_MODULE_2) {
            return readModule(in, ctx);
        }
        for (TypeCodec c : CODECS) {
            if (c.loads(type)) {
                try {
                    return c.read(in, type, ctx);
                } catch (RdbException | java.io.UncheckedIOException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // A value the type's own checks refuse: corrupt input, never a crash.
                    throw RdbException.corrupt("Bad value of RDB type " + type + ": " + e);
                }
            }
        }
        if (Rdb.isObjectType(type)) {
            throw RdbException.corrupt("Unsupported RDB value type " + type + " (not available in this build)");
        }
        throw RdbException.corrupt("Unknown RDB encoding type " + type);
    }

    private static Object readModule(RdbInput in, LoadContext ctx) {
        long id = in.readLenRaw();
        ModuleTypeCodec m = ModuleTypes.byId(id);
        if (m == null) {
            throw RdbException.corrupt("The RDB file contains module data I can't load: no matching module type '"
                    + ModuleTypes.nameOf(id) + "'");
        }
        ModuleRdbIO io = new ModuleRdbIO(in);
        Object v = m.load(io, (int) (id & 1023), ctx.key, ctx.dbId);
        if (io.error() && v == null) {
            throw RdbException.shortRead();
        }
        long eof = in.readLen();
        if (eof != Rdb.MODULE_OPCODE_EOF) {
            throw RdbException.corrupt("The RDB file contains module data for the module '" + m.name()
                    + "' that is not terminated by the proper module value EOF marker");
        }
        if (v == null) {
            throw RdbException.corrupt("The RDB file contains module data for the module type '" + m.name()
                    + "', that the responsible module is not able to load. Check for modules log above for additional clues.");
        }
        return v;
    }
}
