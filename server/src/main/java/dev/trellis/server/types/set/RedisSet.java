package dev.trellis.server.types.set;

import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.RedisValue;
import dev.trellis.server.types.list.Listpack;
import dev.trellis.server.types.list.PackedEntries;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * A set value in one of Redis 7.2's three encodings, with its conversion rules: an
 * {@code intset} while every member is an integer and there are at most
 * {@code set-max-intset-entries}; a {@code listpack} while small (at most
 * {@code set-max-listpack-entries} members of at most {@code set-max-listpack-value} bytes);
 * otherwise a {@code hashtable} ({@link MemberTable}). Sets never convert back on removal.
 *
 * <p>Members are addressed by a position (intset index, listpack entry offset or table slot)
 * valid until the next change.
 */
public final class RedisSet implements RedisValue {
    private final SetLimits limits;
    private IntSet ints;
    private PackedEntries packed;
    private MemberTable table;

    /** An empty set encoded as an intset (it converts as members arrive). */
    public RedisSet(SetLimits limits) {
        this.limits = limits;
        this.ints = new IntSet();
    }

    private RedisSet(RedisSet o) {
        this.limits = o.limits;
        this.ints = o.ints == null ? null : o.ints.copy();
        this.packed = o.packed == null ? null : o.packed.copy();
        this.table = o.table == null ? null : o.table.copy();
    }

    /**
     * The encoding Redis picks for a new set whose first member is {@code first} and which is
     * about to receive {@code sizeHint} members (setTypeCreate).
     */
    public static RedisSet create(SetLimits limits, byte[] first, long sizeHint) {
        RedisSet s = new RedisSet(limits);
        if (Listpack.isCanonicalLong(first) && sizeHint <= limits.maxIntsetEntries()) {
            return s;
        }
        s.ints = null;
        if (sizeHint <= limits.maxListpackEntries()) {
            s.packed = new PackedEntries();
        } else {
            s.table = new MemberTable(sizeHint);
        }
        return s;
    }

    /**
     * A listpack-encoded set over {@code entries} (e.g. adopted from an RDB file). The caller has
     * checked that the members are distinct and within {@code limits}.
     */
    public static RedisSet ofListpack(SetLimits limits, PackedEntries entries) {
        RedisSet s = new RedisSet(limits);
        s.ints = null;
        s.packed = entries;
        return s;
    }

    /**
     * An intset-encoded set of {@code size} integers of {@code width} bytes (2, 4 or 8) stored
     * little-endian in {@code data}, strictly ascending (Redis's intset contents, as an RDB file
     * holds them; the caller has checked the order and the limits).
     */
    public static RedisSet ofIntset(SetLimits limits, byte[] data, int width, int size) {
        RedisSet s = new RedisSet(limits);
        s.ints = new IntSet(data, width, size);
        return s;
    }

    /** An empty set encoded as a listpack (SINTERSTORE's starting point for string sets). */
    public static RedisSet emptyListpack(SetLimits limits) {
        RedisSet s = new RedisSet(limits);
        s.ints = null;
        s.packed = new PackedEntries();
        return s;
    }

    @Override
    public String typeName() {
        return "set";
    }

    @Override
    public String encoding() {
        return ints != null ? "intset" : packed != null ? "listpack" : "hashtable";
    }

    @Override
    public RedisSet copy() {
        return new RedisSet(this);
    }

    @Override
    public long memoryUsage() {
        return 40 + (ints != null ? 24 + ints.bytes() : packed != null ? 32 + packed.capacity() : table.memoryUsage());
    }

    public long size() {
        return ints != null ? ints.size() : packed != null ? packed.count() : table.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    public boolean isIntset() {
        return ints != null;
    }

    public boolean isTable() {
        return table != null;
    }

    // --- membership ----------------------------------------------------------------------

    public boolean contains(byte[] m) {
        if (ints != null) {
            return Listpack.isCanonicalLong(m) && ints.contains(Listpack.parseCanonical(m));
        }
        if (packed != null) {
            return packed.find(m, 1) >= 0;
        }
        return table.find(m) >= 0;
    }

    /** Adds {@code m}; false when already a member. Converts the encoding as Redis does. */
    public boolean add(byte[] m) {
        if (table != null) {
            return table.add(m, true);
        }
        if (packed != null) {
            if (packed.find(m, 1) >= 0) {
                return false;
            }
            if (packed.count() < limits.maxListpackEntries() && m.length <= limits.maxListpackValue()) {
                packed.pushTail(m);
            } else {
                toTable(packed.count() + 1L);
                table.add(m, true);
            }
            return true;
        }
        if (Listpack.isCanonicalLong(m)) {
            if (!ints.add(Listpack.parseCanonical(m))) {
                return false;
            }
            if (ints.size() > limits.maxIntsetEntries()) {
                toTable(ints.size());
            }
            return true;
        }
        // a non-integer member: listpack if everything would fit, else a table
        int maxLen = ints.size() == 0 ? 0
                : Math.max(Listpack.digits(ints.get(0)), Listpack.digits(ints.get(ints.size() - 1)));
        if (ints.size() < limits.maxListpackEntries() && m.length <= limits.maxListpackValue()
                && maxLen <= limits.maxListpackValue()) {
            toListpack();
            packed.pushTail(m);
        } else {
            toTable(ints.size() + 1L);
            table.add(m, true);
        }
        return true;
    }

    /** Removes {@code m}; false when it was not a member. */
    public boolean remove(byte[] m) {
        if (ints != null) {
            return Listpack.isCanonicalLong(m) && ints.remove(Listpack.parseCanonical(m));
        }
        if (packed != null) {
            int p = packed.find(m, 1);
            if (p < 0) {
                return false;
            }
            packed.removeAt(p);
            return true;
        }
        return table.remove(m);
    }

    /**
     * Before adding about {@code sizeHint} members: convert to a table right away when the
     * hint alone passes the current encoding's limit (setTypeMaybeConvert).
     */
    public void beforeAdd(long sizeHint) {
        if ((packed != null && sizeHint > limits.maxListpackEntries())
                || (ints != null && sizeHint > limits.maxIntsetEntries())) {
            toTable(Math.max(sizeHint, size()));
        }
    }

    /** When every member is an integer and few enough, re-encodes as an intset (STORE results). */
    public void convertToIntsetIfPossible() {
        if (ints != null || size() > limits.maxIntsetEntries()) {
            return;
        }
        IntSet n = new IntSet();
        for (Cursor c = cursor(); c.next(); ) {
            if (c.isInt()) {
                n.add(c.intValue());
            } else {
                byte[] b = c.bytes();
                if (!Listpack.isCanonicalLong(b)) {
                    return;
                }
                n.add(Listpack.parseCanonical(b));
            }
        }
        ints = n;
        packed = null;
        table = null;
    }

    private void toListpack() {
        PackedEntries p = new PackedEntries();
        for (int i = 0; i < ints.size(); i++) {
            p.pushTail(ints.get(i));
        }
        packed = p;
        ints = null;
    }

    private void toTable(long expected) {
        MemberTable t = new MemberTable(expected);
        for (Cursor c = cursor(); c.next(); ) {
            t.add(c.bytes());
        }
        table = t;
        ints = null;
        packed = null;
    }

    // --- positions -----------------------------------------------------------------------

    /** A uniformly random member's position; the set must not be empty. */
    public int randomPosition(RandomGenerator r) {
        if (ints != null) {
            return r.nextInt(ints.size());
        }
        if (packed != null) {
            return packed.offsetOf(r.nextInt(packed.count()));
        }
        return table.randomSlot(r);
    }

    public byte[] memberAt(int pos) {
        if (ints != null) {
            return Long.toString(ints.get(pos)).getBytes(StandardCharsets.US_ASCII);
        }
        if (packed != null) {
            return packed.get(pos);
        }
        return table.at(pos);
    }

    public void replyMemberAt(Reply r, int pos) {
        if (ints != null) {
            r.bulk(ints.get(pos));
        } else if (packed != null) {
            Listpack.reply(r, packed.buffer(), pos);
        } else {
            r.bulk(table.at(pos));
        }
    }

    /** Removes the member at {@code pos} (SPOP). */
    public void removeAt(int pos) {
        if (ints != null) {
            ints.remove(ints.get(pos));
        } else if (packed != null) {
            packed.removeAt(pos);
        } else {
            table.removeAt(pos);
        }
    }

    /** One SSCAN step over a table; returns the next cursor (0 when done). */
    public long scan(long cursor, IntConsumer visitPosition) {
        return table.scan(cursor, visitPosition);
    }

    // --- iteration -----------------------------------------------------------------------

    public Cursor cursor() {
        return new Cursor();
    }

    /** Walks the members: ascending for an intset, insertion order for a listpack. */
    public final class Cursor {
        private int pos = -2;

        public boolean next() {
            if (pos == -1) {
                return false;
            }
            if (ints != null) {
                int i = pos == -2 ? 0 : pos + 1;
                pos = i < ints.size() ? i : -1;
            } else if (packed != null) {
                pos = pos == -2 ? packed.first() : packed.next(pos);
            } else {
                pos = table.nextSlot(pos < 0 ? 0 : pos + 1);
            }
            return pos >= 0;
        }

        public int position() {
            return pos;
        }

        public boolean isInt() {
            return ints != null || (packed != null && packed.isInt(pos));
        }

        /** The member as an integer; only when {@link #isInt()}. */
        public long intValue() {
            return ints != null ? ints.get(pos) : packed.intValue(pos);
        }

        public byte[] bytes() {
            return memberAt(pos);
        }

        public void reply(Reply r) {
            replyMemberAt(r, pos);
        }
    }
}
