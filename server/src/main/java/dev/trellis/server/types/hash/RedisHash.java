package dev.trellis.server.types.hash;

import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.RedisValue;
import dev.trellis.server.types.list.Listpack;
import dev.trellis.server.types.list.PackedEntries;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * A hash value with optional per-field expiry. Small hashes are one packed run of
 * field/value pairs ({@code listpack}); once a field gets a TTL the run holds
 * field/value/TTL triples ordered by TTL ({@code listpackex}, Redis 7.4); past
 * {@code hash-max-listpack-entries} fields or a field or value longer than
 * {@code hash-max-listpack-value} it becomes a {@link FieldTable} ({@code hashtable}).
 *
 * <p>Fields are addressed by a position from {@link #find}: an entry offset or a table slot,
 * valid until the next change. Expiry times are absolute Unix milliseconds; 0 means none. This
 * class stores TTLs; deciding that a field is expired (and what to tell whom) is the caller's.
 */
public final class RedisHash implements RedisValue {
    /** What {@link #expireAt} returns for a field without a TTL. */
    public static final long NO_TTL = 0;

    private final HashLimits limits;
    private PackedEntries packed;
    private boolean ex;
    /**
     * Set once any hash in this JVM got a field TTL. Until then no hash can need active field
     * expiry, so the keyspace observer that looks for such hashes skips its lookup per write.
     */
    public static volatile boolean fieldTtlsSeen;
    private FieldTable table;
    private TtlHeap heap;

    /** Bookkeeping of the active field-expiry registry: the time and key it tracks us under. */
    public long trackedAt = Long.MAX_VALUE;
    public byte[] trackedKey;
    public int trackedDb = -1;

    public RedisHash(HashLimits limits) {
        this.limits = limits;
        this.packed = new PackedEntries();
    }

    /**
     * A listpack-encoded hash over {@code entries} (field/value pairs, e.g. adopted from an RDB
     * file). The caller has checked that the fields are distinct and within {@code limits}.
     */
    public static RedisHash ofListpack(HashLimits limits, PackedEntries entries) {
        RedisHash h = new RedisHash(limits);
        h.packed = entries;
        return h;
    }

    /**
     * The packed field/value run when the hash is a plain listpack (no field TTLs), else null.
     * Read-only: for writers of the listpack form (RDB), which copy the entries as they are.
     */
    public PackedEntries listpackEntries() {
        return table == null && !ex ? packed : null;
    }

    private RedisHash(RedisHash o) {
        this.limits = o.limits;
        this.packed = o.packed == null ? null : o.packed.copy();
        this.ex = o.ex;
        this.table = o.table == null ? null : o.table.copy();
        if (table != null && table.ttlCount() > 0) {
            rebuildHeap();
        }
    }

    @Override
    public String typeName() {
        return "hash";
    }

    @Override
    public String encoding() {
        return table != null ? "hashtable" : ex ? "listpackex" : "listpack";
    }

    @Override
    public RedisHash copy() {
        return new RedisHash(this);
    }

    @Override
    public long memoryUsage() {
        return 48 + (table != null ? table.memoryUsage() + (heap == null ? 0 : 24L * heap.size())
                : 32 + packed.capacity());
    }

    /** Number of fields, including expired ones not yet removed (what HLEN reports). */
    public long size() {
        return table != null ? table.size() : packed.count() / stride();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    private int stride() {
        return ex ? 3 : 2;
    }

    // --- lookup --------------------------------------------------------------------------

    /** Position of {@code field}, or -1. */
    public int find(byte[] field) {
        return table != null ? table.find(field) : packed.find(field, stride());
    }

    public boolean exists(byte[] field) {
        return find(field) >= 0;
    }

    /** The value of {@code field}, or null (ignores TTLs). */
    public byte[] get(byte[] field) {
        int pos = find(field);
        return pos < 0 ? null : valueAt(pos);
    }

    public byte[] fieldAt(int pos) {
        return table != null ? FieldTable.field(table.entryAt(pos)) : packed.get(pos);
    }

    public byte[] valueAt(int pos) {
        return table != null ? FieldTable.value(table.entryAt(pos)) : packed.get(packed.next(pos));
    }

    /** Length of the value's text (HSTRLEN). */
    public int valueLengthAt(int pos) {
        return table != null ? FieldTable.valueLength(table.entryAt(pos))
                : Listpack.elementLength(packed.buffer(), packed.next(pos));
    }

    public void replyFieldAt(Reply r, int pos) {
        if (table != null) {
            byte[] e = table.entryAt(pos);
            r.bulk(e, FieldTable.fieldOffset(e), FieldTable.fieldLength(e));
        } else {
            Listpack.reply(r, packed.buffer(), pos);
        }
    }

    public void replyValueAt(Reply r, int pos) {
        if (table != null) {
            byte[] e = table.entryAt(pos);
            int off = FieldTable.valueOffset(e);
            r.bulk(e, off, e.length - off);
        } else {
            Listpack.reply(r, packed.buffer(), packed.next(pos));
        }
    }

    /** The field's absolute expiry time in ms, or {@link #NO_TTL}. */
    public long expireAt(int pos) {
        if (table != null) {
            return table.ttl(pos);
        }
        return ex ? packed.intValue(packed.next(packed.next(pos))) : NO_TTL;
    }

    // --- updates -------------------------------------------------------------------------

    /**
     * Before setting the field/value pairs {@code argv[from..to)}: a listpack turns into a
     * table when there are more new fields than the entry limit or any argument is longer
     * than the value limit (Redis's hashTypeTryConversion).
     */
    public void beforeSetAll(byte[][] argv, int from, int to) {
        if (table != null) {
            return;
        }
        if ((to - from) / 2 > limits.maxEntries()) {
            convertToTable((to - from) / 2);
            return;
        }
        long max = limits.maxValue();
        for (int i = from; i < to; i++) {
            if (argv[i].length > max) {
                convertToTable(0);
                return;
            }
        }
    }

    /**
     * Sets {@code field} to {@code value}; true when the field is new. An existing field's TTL
     * is cleared unless {@code keepTtl} (HINCRBY keeps it, HSET does not).
     */
    public boolean set(byte[] field, byte[] value, boolean keepTtl) {
        if (table != null) {
            int slot = table.find(field);
            if (slot >= 0) {
                table.replaceEntry(slot, FieldTable.entry(field, value));
                if (!keepTtl) {
                    table.setTtl(slot, NO_TTL);
                }
                return false;
            }
            table.addNew(FieldTable.entry(field, value), NO_TTL);
            return true;
        }
        if (field.length > limits.maxValue() || value.length > limits.maxValue()) {
            convertToTable(0); // HINCRBY* reach here without the argument check
            return set(field, value, keepTtl);
        }
        int p = packed.find(field, stride());
        if (p >= 0) {
            int vp = packed.next(p);
            if (ex && !keepTtl && packed.intValue(packed.next(vp)) != NO_TTL) {
                packed.removeRange(p, 3);
                exInsertSorted(field, value, NO_TTL);
            } else {
                packed.replaceAt(vp, value);
            }
            if (size() > limits.maxEntries()) {
                convertToTable(0); // the limit may have been lowered since (Redis checks on updates too)
            }
            return false;
        }
        packed.pushTail(field);
        packed.pushTail(value);
        if (ex) {
            packed.pushTail(NO_TTL);
        }
        if (size() > limits.maxEntries()) {
            convertToTable(0);
        }
        return true;
    }

    /** Plain put for the module API and tools: conversion checks and set, TTL cleared. */
    public boolean put(byte[] field, byte[] value) {
        beforeSetAll(new byte[][] {field, value}, 0, 2);
        return set(field, value, false);
    }

    /** Removes {@code field}; true when it existed. */
    public boolean delete(byte[] field) {
        int pos = find(field);
        if (pos < 0) {
            return false;
        }
        deleteAt(pos);
        return true;
    }

    public void deleteAt(int pos) {
        if (table != null) {
            table.removeAt(pos);
            if (heap != null && table.ttlCount() == 0) {
                heap = null;
            }
        } else {
            packed.removeRange(pos, stride());
        }
    }

    private void convertToTable(int expected) {
        FieldTable t = new FieldTable(Math.max(expected, (int) size()));
        for (int p = packed.first(); p >= 0; ) {
            byte[] f = packed.get(p);
            int vp = packed.next(p);
            byte[] v = packed.get(vp);
            long ttl = NO_TTL;
            p = packed.next(vp);
            if (ex) {
                ttl = packed.intValue(p);
                p = packed.next(p);
            }
            t.addNew(FieldTable.entry(f, v), ttl);
        }
        table = t;
        packed = null;
        ex = false;
        if (t.ttlCount() > 0) {
            rebuildHeap();
        }
    }

    // --- field expiry --------------------------------------------------------------------

    /** Prepares a listpack for TTLs (it becomes a listpackex, as HEXPIRE does in Redis). */
    public void enableTtls() {
        if (table != null || ex) {
            return;
        }
        PackedEntries n = new PackedEntries(packed.used() + packed.count());
        for (int p = packed.first(); p >= 0; p = packed.next(p)) {
            int vp = packed.next(p);
            n.pushTail(packed.get(p));
            n.pushTail(packed.get(vp));
            n.pushTail(NO_TTL);
            p = vp;
        }
        packed = n;
        ex = true;
        fieldTtlsSeen = true;
    }

    /**
     * Sets the TTL of the field at {@code pos} to {@code when} (absolute ms, or {@link #NO_TTL}
     * to persist). Positions are invalid afterwards.
     */
    public void setExpireAt(int pos, long when) {
        if (when != NO_TTL) {
            fieldTtlsSeen = true;
        }
        if (table != null) {
            table.setTtl(pos, when);
            if (when != NO_TTL) {
                if (heap == null) {
                    heap = new TtlHeap();
                }
                heap.add(when, FieldTable.field(table.entryAt(pos)));
                if (heap.size() > 2 * table.ttlCount() + 64) {
                    rebuildHeap();
                }
            } else if (table.ttlCount() == 0) {
                heap = null;
            }
            return;
        }
        if (!ex) {
            throw new IllegalStateException("enableTtls() first");
        }
        byte[] f = packed.get(pos);
        byte[] v = packed.get(packed.next(pos));
        packed.removeRange(pos, 3);
        exInsertSorted(f, v, when);
    }

    /** Inserts a triple before the first one whose TTL is later (no TTL sorts last). */
    private void exInsertSorted(byte[] f, byte[] v, long ttl) {
        int p = -1;
        if (ttl != NO_TTL) {
            for (int q = packed.first(); q >= 0; ) {
                int tp = packed.next(packed.next(q));
                long t = packed.intValue(tp);
                if (t == NO_TTL || t >= ttl) {
                    p = q;
                    break;
                }
                q = packed.next(tp);
            }
        }
        if (p < 0) {
            packed.pushTail(f);
            packed.pushTail(v);
            packed.pushTail(ttl);
            return;
        }
        int fp = packed.insertAt(p, f);
        int vp = packed.insertAt(packed.next(fp), v);
        packed.insertAt(packed.next(vp), ttl);
    }

    private void rebuildHeap() {
        heap = new TtlHeap();
        for (int s = table.nextSlot(0); s >= 0; s = table.nextSlot(s + 1)) {
            long t = table.ttl(s);
            if (t != NO_TTL) {
                heap.add(t, FieldTable.field(table.entryAt(s)));
            }
        }
    }

    /** True when some field has a TTL. */
    public boolean hasTtls() {
        return minExpire() != Long.MAX_VALUE;
    }

    /** The earliest field expiry time, or {@link Long#MAX_VALUE} when no field has a TTL. */
    public long minExpire() {
        if (table != null) {
            if (heap == null || table.ttlCount() == 0) {
                return Long.MAX_VALUE;
            }
            while (heap.size() > 0) {
                int slot = table.find(heap.peekField());
                if (slot >= 0 && table.ttl(slot) == heap.peekTime()) {
                    return heap.peekTime();
                }
                heap.poll(); // stale: field deleted or TTL changed
            }
            return Long.MAX_VALUE;
        }
        if (!ex || packed.isEmpty()) {
            return Long.MAX_VALUE;
        }
        long t = packed.intValue(packed.next(packed.next(packed.first())));
        return t == NO_TTL ? Long.MAX_VALUE : t;
    }

    /**
     * Deletes up to {@code max} fields whose TTL is at or before {@code now}, earliest first,
     * telling {@code onExpired} each field's name. Returns how many were deleted.
     */
    public int expireFields(long now, int max, Consumer<byte[]> onExpired) {
        int n = 0;
        while (n < max) {
            long t = minExpire();
            if (t > now) {
                break;
            }
            byte[] f;
            if (table != null) {
                f = heap.peekField();
                heap.poll();
                table.removeAt(table.find(f));
                if (table.ttlCount() == 0) {
                    heap = null;
                }
            } else {
                f = packed.get(packed.first());
                packed.removeRange(packed.first(), 3);
            }
            n++;
            if (onExpired != null) {
                onExpired.accept(f);
            }
        }
        return n;
    }

    /** Number of fields whose TTL is before {@code now} (expired but still stored). */
    public long countExpired(long now) {
        if (minExpire() >= now) {
            return 0;
        }
        long n = 0;
        for (Cursor c = cursor(); c.next(); ) {
            long t = c.expireAt();
            if (t != NO_TTL && t < now) {
                n++;
            }
        }
        return n;
    }

    // --- iteration, random picks, scan ---------------------------------------------------

    public Cursor cursor() {
        return new Cursor();
    }

    /** Walks the fields in storage order. Invalid once the hash changes. */
    public final class Cursor {
        private int pos = -2;

        public boolean next() {
            if (pos == -1) {
                return false;
            }
            if (table != null) {
                pos = table.nextSlot(pos < 0 ? 0 : pos + 1);
            } else if (pos == -2) {
                pos = packed.first();
            } else if (pos >= 0) {
                for (int k = 0; k < stride() && pos >= 0; k++) {
                    pos = packed.next(pos);
                }
            }
            return pos >= 0;
        }

        public int position() {
            return pos;
        }

        public byte[] field() {
            return fieldAt(pos);
        }

        public byte[] value() {
            return valueAt(pos);
        }

        public long expireAt() {
            return RedisHash.this.expireAt(pos);
        }

        public void replyField(Reply r) {
            replyFieldAt(r, pos);
        }

        public void replyValue(Reply r) {
            replyValueAt(r, pos);
        }
    }

    /** A uniformly random field's position; the hash must not be empty. */
    public int randomPosition(RandomGenerator r) {
        if (table != null) {
            return table.randomSlot(r);
        }
        return packed.offsetOf(r.nextInt((int) size()) * stride());
    }

    /** True when encoded as a table (HSCAN then pages with a cursor). */
    public boolean isTable() {
        return table != null;
    }

    /**
     * One HSCAN step over a table: visits the positions of the fields in {@code cursor}'s bucket
     * and returns the next cursor (0 when done).
     */
    public long scan(long cursor, IntConsumer visitPosition) {
        return table.scan(cursor, visitPosition);
    }
}
