package dev.trellis.server.keyspace;

/** Keyspace event classes, the bits of notify-keyspace-events (same letters as Redis). */
public final class EventType {
    public static final int KEYSPACE = 1 << 0;   // K
    public static final int KEYEVENT = 1 << 1;   // E
    public static final int GENERIC = 1 << 2;    // g
    public static final int STRING = 1 << 3;     // $
    public static final int LIST = 1 << 4;       // l
    public static final int SET = 1 << 5;        // s
    public static final int HASH = 1 << 6;       // h
    public static final int ZSET = 1 << 7;       // z
    public static final int EXPIRED = 1 << 8;    // x
    public static final int EVICTED = 1 << 9;    // e
    public static final int STREAM = 1 << 10;    // t
    public static final int KEY_MISS = 1 << 11;  // m (not part of A)
    public static final int LOADED = 1 << 12;    // module only
    public static final int MODULE = 1 << 13;    // d
    public static final int NEW = 1 << 14;       // n (not part of A)
    public static final int ALL = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    private EventType() {
    }

    /** Parses the letters of notify-keyspace-events; returns -1 on an unknown letter. */
    public static int parse(String s) {
        int flags = 0;
        for (int i = 0; i < s.length(); i++) {
            flags |= switch (s.charAt(i)) {
                case 'A' -> ALL;
                case 'g' -> GENERIC;
                case '$' -> STRING;
                case 'l' -> LIST;
                case 's' -> SET;
                case 'h' -> HASH;
                case 'z' -> ZSET;
                case 'x' -> EXPIRED;
                case 'e' -> EVICTED;
                case 'K' -> KEYSPACE;
                case 'E' -> KEYEVENT;
                case 't' -> STREAM;
                case 'm' -> KEY_MISS;
                case 'd' -> MODULE;
                case 'n' -> NEW;
                default -> -1;
            };
            if (flags < 0) {
                return -1;
            }
        }
        return flags;
    }

    /** The letters for {@code flags}, in Redis's order, with "A" for the whole set. */
    public static String format(int flags) {
        StringBuilder sb = new StringBuilder();
        if ((flags & ALL) == ALL) {
            sb.append('A');
        } else {
            if ((flags & GENERIC) != 0) sb.append('g');
            if ((flags & STRING) != 0) sb.append('$');
            if ((flags & LIST) != 0) sb.append('l');
            if ((flags & SET) != 0) sb.append('s');
            if ((flags & HASH) != 0) sb.append('h');
            if ((flags & ZSET) != 0) sb.append('z');
            if ((flags & EXPIRED) != 0) sb.append('x');
            if ((flags & EVICTED) != 0) sb.append('e');
            if ((flags & STREAM) != 0) sb.append('t');
            if ((flags & MODULE) != 0) sb.append('d');
        }
        if ((flags & KEYSPACE) != 0) sb.append('K');
        if ((flags & KEYEVENT) != 0) sb.append('E');
        if ((flags & KEY_MISS) != 0) sb.append('m');
        if ((flags & NEW) != 0) sb.append('n');
        return sb.toString();
    }
}
