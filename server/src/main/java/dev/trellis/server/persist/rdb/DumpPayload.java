package dev.trellis.server.persist.rdb;

import dev.trellis.server.persist.Crc64;

/**
 * DUMP/RESTORE payloads: the RDB type byte and value encoding, then the RDB version (2 bytes)
 * and the CRC64 of everything before it (8 bytes), both little-endian, as Redis makes them.
 * We write version 10 with encodings Redis 7.0 understands, so our payloads restore there.
 */
public final class DumpPayload {
    private DumpPayload() {
    }

    public static byte[] create(Object value, byte[] key, int dbId, boolean compression) {
        RdbOutput out = new RdbOutput(compression);
        ValueCodec.writeTyped(out, value, Rdb.DEFAULT_VERSION, key, dbId);
        out.writeByte(Rdb.DEFAULT_VERSION & 0xff);
        out.writeByte((Rdb.DEFAULT_VERSION >>> 8) & 0xff);
        byte[] body = out.toByteArray();
        byte[] p = java.util.Arrays.copyOf(body, body.length + 8);
        Crc64.putLE(p, body.length, Crc64.of(body, 0, body.length));
        return p;
    }

    /** True when the footer's version is one we read and the checksum matches (verifyDumpPayload). */
    public static boolean verify(byte[] p, boolean checkCrc) {
        if (p.length < 10) {
            return false;
        }
        int footer = p.length - 10;
        int version = (p[footer] & 0xff) | (p[footer + 1] & 0xff) << 8;
        if (version > Rdb.MAX_VERSION) {
            return false;
        }
        return !checkCrc || Crc64.getLE(p, p.length - 8) == Crc64.of(p, 0, p.length - 8);
    }

    /**
     * Decodes a verified payload; throws {@link RdbException} for anything malformed, including a
     * value with no elements (RESTORE answers "Bad data format" either way).
     */
    public static Object read(byte[] p, LoadContext ctx) {
        RdbInput in = RdbInput.of(p, 0, p.length - 10);
        int type = in.readByte();
        if (!Rdb.isObjectType(type)) {
            throw RdbException.corrupt("Unknown RDB encoding type " + type);
        }
        Object v = ValueCodec.read(in, type, ctx);
        if (v == ValueCodec.EMPTY) {
            throw RdbException.corrupt("empty key");
        }
        return v;
    }
}
