package dev.trellis.server.module;

import java.util.Arrays;
import java.util.TreeMap;

/**
 * {@code RedisModuleDict}: an ordered map from byte-string keys to the module's pointers, with
 * Redis's radix-tree semantics: keys are ordered as memcmp orders them (a prefix first), and
 * iterators seek with the operators {@code ^ $ > >= < <= ==}.
 */
public final class ModuleDict {
    private final TreeMap<byte[], Long> map = new TreeMap<>(Arrays::compareUnsigned);
    /** Native face: the RedisModuleDict* handle. */
    public long address;

    public int size() {
        return map.size();
    }

    /** Inserts when absent (DictSet): false when the key exists (the value is left alone). */
    public boolean insert(byte[] key, long value) {
        if (map.containsKey(key)) {
            return false;
        }
        map.put(key, value);
        return true;
    }

    /** Sets (DictReplace): true when the key was new. */
    public boolean replace(byte[] key, long value) {
        return map.put(key, value) == null;
    }

    /** The value, or null when absent. */
    public Long get(byte[] key) {
        return map.get(key);
    }

    /** Removes; the old value, or null when absent. */
    public Long remove(byte[] key) {
        return map.remove(key);
    }

    /** Approximate bytes the dict uses (MallocSizeDict). */
    public long memoryUsage() {
        long n = 64;
        for (byte[] k : map.keySet()) {
            n += 48 + k.length;
        }
        return n;
    }

    public Iterator iterator(String op, byte[] key) {
        Iterator it = new Iterator(this);
        it.seek(op, key);
        return it;
    }

    /**
     * A position in the dict. After a seek the first Next or Prev returns the element found by
     * the seek itself; after that they move forward or back. Past either end the iterator is
     * exhausted until it seeks again. Changes to the dict are seen by later moves.
     */
    public static final class Iterator {
        private final ModuleDict dict;
        private byte[] current;
        private boolean justSeeked;
        private boolean eof;
        /** Native face: the RedisModuleDictIter* handle and the key buffer handed out. */
        public long address;
        public long keyBuffer;
        public long keyBufferCap;

        Iterator(ModuleDict dict) {
            this.dict = dict;
        }

        public ModuleDict dict() {
            return dict;
        }

        /** Positions the iterator; false for an unknown operator. */
        public boolean seek(String op, byte[] key) {
            TreeMap<byte[], Long> m = dict.map;
            byte[] at;
            switch (op) {
                case "^" -> at = m.isEmpty() ? null : m.firstKey();
                case "$" -> at = m.isEmpty() ? null : m.lastKey();
                case ">" -> at = m.higherKey(key);
                case ">=" -> at = m.ceilingKey(key);
                case "<" -> at = m.lowerKey(key);
                case "<=" -> at = m.floorKey(key);
                case "==", "=" -> at = m.containsKey(key) ? m.ceilingKey(key) : null;
                default -> {
                    return false; // an unknown operator leaves the iterator where it was
                }
            }
            current = at;
            eof = at == null;
            justSeeked = true;
            return true;
        }

        /** The next key (its value via {@link #value}), or null when exhausted. */
        public byte[] next() {
            return move(true);
        }

        public byte[] prev() {
            return move(false);
        }

        private byte[] move(boolean forward) {
            if (eof) {
                return null;
            }
            if (justSeeked) {
                justSeeked = false;
                if (current != null && dict.map.containsKey(current)) {
                    return current;
                }
            }
            byte[] k = current == null ? null : forward ? dict.map.higherKey(current) : dict.map.lowerKey(current);
            if (k == null) {
                eof = true;
                return null;
            }
            current = k;
            return k;
        }

        /** The value of the key last returned. */
        public long value() {
            Long v = current == null ? null : dict.map.get(current);
            return v == null ? 0 : v;
        }

        /**
         * DictCompare: whether the current element relates to {@code key} as {@code op} says;
         * false when exhausted.
         */
        public boolean compare(String op, byte[] key) {
            if (eof || current == null) {
                return false;
            }
            int c = Arrays.compareUnsigned(current, key);
            return switch (op) {
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case "==" -> c == 0;
                default -> false;
            };
        }
    }
}
