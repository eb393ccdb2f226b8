package dev.trellis.server.types;

import dev.trellis.server.client.Numbers;
import dev.trellis.server.keyspace.KeyEntry;

/**
 * What every value reports regardless of its type: the TYPE name and the OBJECT ENCODING.
 * Strings are plain {@code byte[]}; every other type implements {@link RedisValue}.
 *
 * <p>A string's encoding follows from its bytes (Redis's tryObjectEncoding: "int" for a
 * canonical 64-bit integer of up to 20 characters, "embstr" up to 44 bytes, "raw" above)
 * unless the key carries a hint saying Redis would hold it otherwise (see
 * {@link KeyEntry#stringEncoding()}): commands that modify a string in place (APPEND,
 * SETRANGE, SETBIT...) leave it "raw", and INCRBYFLOAT never produces "int".
 */
public final class Values {
    /** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
    public static final int EMBSTR_LIMIT = 44;
    /** Redis's OBJ_SHARED_INTEGERS: integers below this are shared objects. */
    public static final long SHARED_INTEGERS = 10000;
    /** The refcount Redis reports for shared objects (OBJ_SHARED_REFCOUNT, INT_MAX). */
    public static final long SHARED_REFCOUNT = Integer.MAX_VALUE;

    private Values() {
    }

    public static String typeName(Object v) {
        if (v instanceof byte[]) {
            return "string";
        }
        return ((RedisValue) v).typeName();
    }

    /** The encoding of a value by itself (a string as its bytes decide). */
    public static String encoding(Object v) {
        if (v instanceof byte[] b) {
            return stringEncoding(b, KeyEntry.STRING_ENCODED);
        }
        return ((RedisValue) v).encoding();
    }

    /** The encoding OBJECT ENCODING reports for a key, honouring its string encoding hint. */
    public static String encoding(KeyEntry e) {
        if (e.value() instanceof byte[] b) {
            return stringEncoding(b, e.stringEncoding());
        }
        return ((RedisValue) e.value()).encoding();
    }

    private static String stringEncoding(byte[] b, int hint) {
        if (hint == KeyEntry.STRING_RAW) {
            return "raw";
        }
        if ((hint == KeyEntry.STRING_ENCODED || hint == KeyEntry.STRING_UNSHARED) && isIntEncoded(b)) {
            return "int";
        }
        return b.length <= EMBSTR_LIMIT ? "embstr" : "raw";
    }

    /** True when Redis would store these bytes as an integer ("int" encoding). */
    public static boolean isIntEncoded(byte[] b) {
        return b.length <= 20 && Numbers.isLong(b);
    }
}
