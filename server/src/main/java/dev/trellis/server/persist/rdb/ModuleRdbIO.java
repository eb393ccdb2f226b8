package dev.trellis.server.persist.rdb;

/**
 * The field-level reading and writing a module type does in its rdb_load/rdb_save: each field
 * is preceded by an opcode (signed, unsigned, float, double, string) so that files can be
 * checked and skipped without the module. Exactly one of input and output is set.
 */
public final class ModuleRdbIO {
    private final RdbInput in;
    private final RdbOutput out;
    private boolean error;

    public ModuleRdbIO(RdbInput in) {
        this.in = in;
        this.out = null;
    }

    public ModuleRdbIO(RdbOutput out) {
        this.in = null;
        this.out = out;
    }

    /** True after a load read a field of the wrong kind or ran out of input (RM_IsIOError). */
    public boolean error() {
        return error;
    }

    public void saveUnsigned(long v) {
        out.writeLen(Rdb.MODULE_OPCODE_UINT);
        out.writeLen(v);
    }

    /** As Redis: a signed value is saved as its unsigned bits behind the UINT opcode. */
    public void saveSigned(long v) {
        saveUnsigned(v);
    }

    public void saveDouble(double v) {
        out.writeLen(Rdb.MODULE_OPCODE_DOUBLE);
        out.writeBinaryDouble(v);
    }

    public void saveFloat(float v) {
        out.writeLen(Rdb.MODULE_OPCODE_FLOAT);
        out.writeBinaryFloat(v);
    }

    public void saveString(byte[] s) {
        out.writeLen(Rdb.MODULE_OPCODE_STRING);
        out.writeString(s);
    }

    /** Writes a long double as Redis does: its "%.17Lg" text as a string field. */
    public void saveLongDouble(String text) {
        saveString(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private boolean expect(int opcode) {
        if (error) {
            return false;
        }
        try {
            long op = in.readLen();
            if (op != opcode) {
                error = true;
                return false;
            }
            return true;
        } catch (RdbException e) {
            error = true;
            return false;
        }
    }

    public long loadUnsigned() {
        if (!expect(Rdb.MODULE_OPCODE_UINT)) {
            return 0;
        }
        return readLenOrFail();
    }

    /** As Redis: the UINT opcode, read back as signed (SaveSigned never writes SINT). */
    public long loadSigned() {
        return loadUnsigned();
    }

    private long readLenOrFail() {
        try {
            return in.readLenRaw();
        } catch (RdbException e) {
            error = true;
            return 0;
        }
    }

    public double loadDouble() {
        if (!expect(Rdb.MODULE_OPCODE_DOUBLE)) {
            return 0;
        }
        try {
            return in.readBinaryDouble();
        } catch (RdbException e) {
            error = true;
            return 0;
        }
    }

    public float loadFloat() {
        if (!expect(Rdb.MODULE_OPCODE_FLOAT)) {
            return 0;
        }
        try {
            return in.readBinaryFloat();
        } catch (RdbException e) {
            error = true;
            return 0;
        }
    }

    /** A string field, or null after an error. */
    public byte[] loadString() {
        if (!expect(Rdb.MODULE_OPCODE_STRING)) {
            return null;
        }
        try {
            return in.readString();
        } catch (RdbException e) {
            error = true;
            return null;
        }
    }

    public RdbInput input() {
        return in;
    }

    public RdbOutput output() {
        return out;
    }

    /** Skips a module value without its module (opcode by opcode up to the EOF opcode). */
    static void skipValue(RdbInput in) {
        for (long op; (op = in.readLen()) != Rdb.MODULE_OPCODE_EOF; ) {
            switch ((int) Math.min(op, 99)) {
                case Rdb.MODULE_OPCODE_SINT, Rdb.MODULE_OPCODE_UINT -> in.readLenRaw();
                case Rdb.MODULE_OPCODE_STRING -> in.readString();
                case Rdb.MODULE_OPCODE_FLOAT -> in.readBinaryFloat();
                case Rdb.MODULE_OPCODE_DOUBLE -> in.readBinaryDouble();
                default -> throw RdbException.corrupt("Unknown module opcode " + op);
            }
        }
    }
}
