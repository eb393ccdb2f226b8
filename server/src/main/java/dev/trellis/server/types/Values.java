package dev.trellis.server.types;

import dev.trellis.server.client.Numbers;

/**
 * What every value reports regardless of its type: the TYPE name and the OBJECT ENCODING.
 * Strings are plain {@code byte[]}; every other type implements {@link RedisValue}.
 */
public final class Values {
    /** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
    public static final int EMBSTR_LIMIT = 44;

    private Values() {
    }

    public static String typeName(Object v) {
        if (v instanceof byte[]) {
            return "string";
        }
        return ((RedisValue) v).typeName();
    }

    public static String encoding(Object v) {
        if (v instanceof byte[] b) {
            if (b.length <= 20 && Numbers.isLong(b)) {
                return "int";
            }
            return b.length <= EMBSTR_LIMIT ? "embstr" : "raw";
        }
        return ((RedisValue) v).encoding();
    }
}
