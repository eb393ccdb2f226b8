package dev.trellis.server.commands.sort;

import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.types.hash.RedisHash;
import java.util.Arrays;

/**
 * A BY or GET pattern of SORT: "#" is the element itself; otherwise the first '*' is replaced
 * by the element to name a key, whose string value is used, or with "->field" after the '*',
 * that field of the hash at the key. Patterns are C strings to Redis, so a NUL ends the search
 * for '*' and "->".
 */
final class SortPattern {
    private final byte[] pattern;
    private final int star;
    private final int fieldAt;

    SortPattern(byte[] pattern) {
        this.pattern = pattern;
        this.star = indexOf(pattern, 0, (byte) '*');
        int f = -1;
        if (star >= 0) {
            for (int i = star + 1; i + 1 < pattern.length && pattern[i] != 0; i++) {
                if (pattern[i] == '-' && pattern[i + 1] == '>') {
                    f = i;
                    break;
                }
            }
            // "->" must be followed by at least one character to name a field.
            if (f >= 0 && (f + 2 >= pattern.length || pattern[f + 2] == 0)) {
                f = -1;
            }
        }
        this.fieldAt = f;
    }

    /** First index of {@code b} before any NUL, or -1. */
    static int indexOf(byte[] s, int from, byte b) {
        for (int i = from; i < s.length && s[i] != 0; i++) {
            if (s[i] == b) {
                return i;
            }
        }
        return -1;
    }

    boolean isElement() {
        return pattern.length >= 1 && pattern[0] == '#' && (pattern.length == 1 || pattern[1] == 0);
    }

    /** True when the pattern has no '*' (a constant BY means "do not sort"). */
    boolean constant() {
        return star < 0;
    }

    /** The value the pattern selects for {@code element}, or null. */
    byte[] lookup(Database db, byte[] element, long nowMs) {
        if (isElement()) {
            return element;
        }
        if (star < 0) {
            return null;
        }
        int postfixEnd = fieldAt >= 0 ? fieldAt : pattern.length;
        byte[] key = new byte[star + element.length + (postfixEnd - star - 1)];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, postfixEnd - star - 1);
        KeyEntry e = db.lookupRead(key);
        if (e == null) {
            return null;
        }
        Object v = e.value();
        if (fieldAt >= 0) {
            if (!(v instanceof RedisHash h)) {
                return null;
            }
            int pos = h.find(Arrays.copyOfRange(pattern, fieldAt + 2, pattern.length));
            if (pos < 0) {
                return null;
            }
            long at = h.expireAt(pos);
            if (at != RedisHash.NO_TTL && at <= nowMs) {
                return null;
            }
            return h.valueAt(pos);
        }
        return v instanceof byte[] b ? b : null;
    }
}
