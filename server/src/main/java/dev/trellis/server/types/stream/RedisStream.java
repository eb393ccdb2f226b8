package dev.trellis.server.types.stream;

import dev.trellis.server.types.RedisValue;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream, modelled on Redis's: entries in listpack nodes ({@link StreamNode}) keyed by
 * their master (first) ID in ID order, plus the stream's counters (length, last generated
 * ID, first entry ID, largest deleted ID, all-time entries added) and its consumer groups by
 * name in byte order.
 *
 * <p>This class is the Java API other parts use (module host, RDB, commands): {@link #add},
 * {@link #delete}, {@link #iterator}, {@link #trimByLength}, {@link #trimById}, and the group
 * operations. It does not reply or notify; commands do.
 */
public final class RedisStream implements RedisValue {
    /** Redis's STREAM_LISTPACK_MAX_SIZE: no node grows past 1 GiB. */
    static final long LISTPACK_MAX_SIZE = 1L << 30;

    final TreeMap<StreamId, StreamNode> nodes = new TreeMap<>();
    /** The last node's entry, kept so appends do not walk down the tree; null when unknown. */
    private Map.Entry<StreamId, StreamNode> tail;
    /**
     * Bytes of every node but the tail, for {@link #memoryUsage()}, or -1 when unknown. XADD
     * only grows the tail or seals it and starts a new one, so this stays known across appends
     * and memoryUsage() costs O(1) (used_memory measures a written key after each write);
     * anything else that touches nodes (trims, deletions, loading) sets it back to -1.
     */
    long interiorBytes = -1;
    long length;
    private StreamId lastId = StreamId.MIN;
    private StreamId firstId = StreamId.MIN;
    private StreamId maxDeletedId = StreamId.MIN;
    private long entriesAdded;
    private TreeMap<byte[], ConsumerGroup> groups;

    /** Thrown by {@link #add} when the entry's elements exceed what a node can hold. */
    public static final class TooLargeException extends RuntimeException {
        TooLargeException() {
            super("Elements are too large to be stored", null, false, false);
        }
    }

    // --- counters ---------------------------------------------------------------------------

    public long length() {
        return length;
    }

    public StreamId lastId() {
        return lastId;
    }

    public void lastId(StreamId id) {
        lastId = id;
    }

    /** The recorded first entry ID (0-0 when empty). */
    public StreamId firstId() {
        return firstId;
    }

    public void firstId(StreamId id) {
        firstId = id;
    }

    public StreamId maxDeletedId() {
        return maxDeletedId;
    }

    public void maxDeletedId(StreamId id) {
        maxDeletedId = id;
    }

    public long entriesAdded() {
        return entriesAdded;
    }

    public void entriesAdded(long n) {
        entriesAdded = n;
    }

    /** Number of listpack nodes (Redis's radix-tree-keys). */
    public int nodeCount() {
        return nodes.size();
    }

    /** The nodes by master ID, in order (for RDB); do not modify. */
    public Map<StreamId, StreamNode> nodes() {
        return nodes;
    }

    /**
     * Adds a node read from a file (RDB): {@code master} is its key; the caller restores the
     * counters afterwards with the setters and {@link #length(long)}.
     */
    public void putNode(StreamId master, StreamNode node) {
        interiorBytes = -1;
        nodes.put(master, node);
        tail = null;
    }

    /** The last node and its master ID, or null for an empty stream. */
    Map.Entry<StreamId, StreamNode> tailEntry() {
        Map.Entry<StreamId, StreamNode> t = tail;
        if (t == null) {
            t = tail = nodes.lastEntry();
        }
        return t;
    }

    /** Removes a node (it became empty or was trimmed away). */
    void removeNode(StreamId master) {
        nodes.remove(master);
        tail = null;
    }

    public void length(long n) {
        length = n;
    }

    // --- adding -----------------------------------------------------------------------------

    /** The ID an auto-generated XADD would get at {@code nowMs} (streamNextID); null past the last ID. */
    public StreamId nextId(long nowMs) {
        if (Long.compareUnsigned(nowMs, lastId.ms()) > 0) {
            return new StreamId(nowMs, 0);
        }
        return lastId.next();
    }

    /**
     * Appends an entry of {@code numFields} field/value pairs taken from
     * {@code fv[off..off+2*numFields)} (streamAppendItem). With {@code useId} null the ID is
     * generated from {@code nowMs}; with {@code seqGiven} false only its ms part is used and the
     * sequence is generated. Returns the new ID, or null when the ID is not greater than the
     * last one (Redis's EDOM). Throws {@link TooLargeException} for oversized elements.
     * {@code nodeMaxBytes}/{@code nodeMaxEntries} are stream-node-max-bytes/-entries.
     */
    public StreamId add(byte[][] fv, int off, int numFields, StreamId useId, boolean seqGiven, long nowMs,
            long nodeMaxBytes, long nodeMaxEntries) {
        StreamId id;
        if (useId != null) {
            if (seqGiven) {
                id = useId;
            } else if (lastId.ms() == useId.ms()) {
                if (lastId.seq() == -1L) {
                    return null;
                }
                id = new StreamId(lastId.ms(), lastId.seq() + 1);
            } else {
                id = useId;
            }
        } else {
            id = nextId(nowMs);
            if (id == null) {
                id = StreamId.MIN; // wrapped around: fails the check below
            }
        }
        if (id.compareTo(lastId) <= 0) {
            return null;
        }
        long total = 0;
        for (int i = 0; i < numFields * 2; i++) {
            total += fv[off + i].length;
        }
        if (total > LISTPACK_MAX_SIZE) {
            throw new TooLargeException();
        }
        Map.Entry<StreamId, StreamNode> tail = tailEntry();
        StreamNode node = tail == null ? null : tail.getValue();
        if (node != null) {
            long maxBytes = nodeMaxBytes;
            if (maxBytes == 0 || maxBytes > LISTPACK_MAX_SIZE) {
                maxBytes = LISTPACK_MAX_SIZE;
            }
            boolean full = node.bytes() + total >= maxBytes
                    || (nodeMaxEntries != 0 && node.liveCount() + node.deletedCount() >= nodeMaxEntries);
            if (full) {
                node.shrinkToFit();
                node = null;
            }
        }
        if (node == null) {
            if (tail != null && interiorBytes >= 0) {
                interiorBytes += tail.getValue().allocated() + NODE_OVERHEAD; // the sealed tail
            }
            StreamNode fresh = StreamNode.create(fv, off, numFields);
            nodes.put(id, fresh);
            this.tail = new java.util.AbstractMap.SimpleImmutableEntry<>(id, fresh);
        } else {
            StreamId master = tail.getKey();
            node.append(fv, off, numFields, id.ms() - master.ms(), id.seq() - master.seq());
        }
        length++;
        entriesAdded++;
        lastId = id;
        if (length == 1) {
            firstId = id;
        }
        return id;
    }

    // --- reading ----------------------------------------------------------------------------

    /** An iterator over [start, end] (null for unbounded), in reverse when {@code rev}. */
    public StreamIterator iterator(StreamId start, StreamId end, boolean rev) {
        return new StreamIterator(this, start, end, rev);
    }

    /** True when a live entry with this ID exists (streamEntryExists). */
    public boolean exists(StreamId id) {
        return iterator(id, id, false).next();
    }

    /**
     * The first or last entry ID (streamGetEdgeID); tombstones count unless
     * {@code skipTombstones}. With no such entry: MAX for first, MIN for last.
     */
    public StreamId edgeId(boolean first, boolean skipTombstones) {
        StreamIterator it = iterator(null, null, !first);
        if (!skipTombstones) {
            it.includeTombstones();
        }
        if (it.next()) {
            return it.id();
        }
        return first ? StreamId.MAX : StreamId.MIN;
    }

    /** The ID of the last live entry (streamLastValidID); MIN when empty. */
    public StreamId lastValidId() {
        StreamIterator it = iterator(null, null, true);
        return it.next() ? it.id() : StreamId.MIN;
    }

    // --- deleting ---------------------------------------------------------------------------

    /**
     * Deletes the live entry {@code id} (streamDeleteItem); false when there is none. Leaves the
     * first ID and max-deleted ID alone, as Redis's low-level delete (and the module API) does;
     * {@link #deleteEntries} is XDEL with that bookkeeping.
     */
    public boolean delete(StreamId id) {
        StreamIterator it = iterator(id, id, false);
        if (it.next()) {
            it.removeCurrent();
            return true;
        }
        return false;
    }

    /** XDEL: deletes the given IDs, updating the max-deleted and first IDs; returns how many. */
    public int deleteEntries(StreamId[] ids) {
        int deleted = 0;
        boolean firstDeleted = false;
        for (StreamId id : ids) {
            if (delete(id)) {
                if (id.equals(firstId)) {
                    firstDeleted = true;
                }
                if (id.compareTo(maxDeletedId) > 0) {
                    maxDeletedId = id;
                }
                deleted++;
            }
        }
        if (deleted > 0) {
            if (length == 0) {
                firstId = StreamId.MIN;
            } else if (firstDeleted) {
                firstId = edgeId(true, true);
            }
        }
        return deleted;
    }

    // --- trimming ---------------------------------------------------------------------------

    /**
     * Trims to at most {@code maxLen} entries (MAXLEN). With {@code approx} only whole nodes are
     * removed; {@code limit} caps the entries removed (0: no cap). Returns entries removed.
     */
    public long trimByLength(long maxLen, boolean approx, long limit) {
        return trim(true, maxLen, null, approx, limit);
    }

    /** Removes entries with IDs below {@code minId} (MINID); see {@link #trimByLength}. */
    public long trimById(StreamId minId, boolean approx, long limit) {
        return trim(false, 0, minId, approx, limit);
    }

    private long trim(boolean byLength, long maxLen, StreamId minId, boolean approx, long limit) {
        interiorBytes = -1;
        long deleted = 0;
        Map.Entry<StreamId, StreamNode> e = nodes.firstEntry();
        while (e != null) {
            if (byLength && length <= maxLen) {
                break;
            }
            StreamNode n = e.getValue();
            long entries = n.liveCount();
            if (limit != 0 && deleted + entries > limit) {
                break;
            }
            StreamId master = e.getKey();
            boolean removeNode;
            if (byLength) {
                removeNode = length - entries >= maxLen;
            } else {
                StreamId last = n.lastId(master);
                removeNode = (last == null ? StreamId.MIN : last).compareTo(minId) < 0;
            }
            if (removeNode) {
                removeNode(master);
                length -= entries;
                deleted += entries;
                e = nodes.higherEntry(master);
                continue;
            }
            if (approx) {
                break;
            }
            deleted += trimWithinNode(n, master, byLength, maxLen, minId);
            break;
        }
        if (length == 0) {
            firstId = StreamId.MIN;
        } else if (deleted > 0) {
            firstId = edgeId(true, true);
        }
        return deleted;
    }

    /** Marks leading entries of one node deleted until the trim condition holds. */
    private long trimWithinNode(StreamNode n, StreamId master, boolean byLength, long maxLen, StreamId minId) {
        long entries = n.liveCount();
        long deletedHere = 0;
        int p = n.masterFieldCountPos();
        long masterFields = Lp.intAt(n.lp, p);
        p = Lp.next(n.lp, p);
        for (long j = 0; j < masterFields; j++) {
            p = Lp.next(n.lp, p);
        }
        p = Lp.next(n.lp, p); // skip the master terminator
        while ((n.lp[p] & 0xFF) != Lp.EOF) {
            int flagsPos = p;
            int flags = (int) Lp.intAt(n.lp, p);
            p = Lp.next(n.lp, p);
            long msDelta = Lp.intAt(n.lp, p);
            p = Lp.next(n.lp, p);
            long seqDelta = Lp.intAt(n.lp, p);
            p = Lp.next(n.lp, p);
            boolean stop = byLength
                    ? length <= maxLen
                    : StreamId.compare(master.ms() + msDelta, master.seq() + seqDelta, minId.ms(), minId.seq()) >= 0;
            if (stop) {
                break;
            }
            long skip;
            if ((flags & StreamNode.SAMEFIELDS) != 0) {
                skip = masterFields;
            } else {
                skip = Lp.intAt(n.lp, p) * 2;
                p = Lp.next(n.lp, p);
            }
            for (long j = 0; j < skip; j++) {
                p = Lp.next(n.lp, p);
            }
            p = Lp.next(n.lp, p); // the lp-count
            if ((flags & StreamNode.DELETED) == 0) {
                n.replaceInt(flagsPos, flags | StreamNode.DELETED);
                deletedHere++;
                length--;
            }
        }
        n.replaceInt(Lp.HEADER, entries - deletedHere);
        int q = Lp.next(n.lp, Lp.HEADER);
        n.replaceInt(q, Lp.intAt(n.lp, q) + deletedHere);
        return deletedHere;
    }

    // --- consumer groups --------------------------------------------------------------------

    /** Groups by name in byte order; null when none was ever created. */
    public TreeMap<byte[], ConsumerGroup> groups() {
        return groups;
    }

    public int groupCount() {
        return groups == null ? 0 : groups.size();
    }

    public ConsumerGroup group(byte[] name) {
        return groups == null ? null : groups.get(name);
    }

    /** Creates a group (streamCreateCG); null when one with that name exists. */
    public ConsumerGroup createGroup(byte[] name, StreamId lastDelivered, long entriesRead) {
        if (groups == null) {
            groups = new TreeMap<>(Arrays::compareUnsigned);
        }
        if (groups.containsKey(name)) {
            return null;
        }
        ConsumerGroup g = new ConsumerGroup(name, lastDelivered, entriesRead);
        groups.put(name, g);
        return g;
    }

    public boolean destroyGroup(byte[] name) {
        return groups != null && groups.remove(name) != null;
    }

    /**
     * True when [start, end] (null: unbounded) may hold a tombstone, judged from the max
     * deleted ID as Redis's streamRangeHasTombstones.
     */
    public boolean rangeHasTombstones(StreamId start, StreamId end) {
        if (length == 0 || maxDeletedId.isZero()) {
            return false;
        }
        if (firstId.compareTo(maxDeletedId) > 0) {
            return false;
        }
        StreamId s = start == null ? StreamId.MIN : start;
        StreamId e = end == null ? StreamId.MAX : end;
        return s.compareTo(maxDeletedId) <= 0 && maxDeletedId.compareTo(e) <= 0;
    }

    /**
     * The logical read counter of {@code id} (streamEstimateDistanceFromFirstEverEntry), or
     * {@link ConsumerGroup#ENTRIES_READ_INVALID} when it cannot be known.
     */
    public long estimateDistanceFromFirstEverEntry(StreamId id) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (length == 0 && id.compareTo(lastId) < 1) {
            return entriesAdded;
        }
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) {
            return entriesAdded;
        } else if (cmpLast > 0) {
            return ConsumerGroup.ENTRIES_READ_INVALID;
        }
        int cmpFirst = id.compareTo(firstId);
        if (maxDeletedId.isZero() || maxDeletedId.compareTo(firstId) < 0) {
            if (cmpFirst < 0) {
                return entriesAdded - length;
            } else if (cmpFirst == 0) {
                return entriesAdded - length + 1;
            }
        }
        return ConsumerGroup.ENTRIES_READ_INVALID;
    }

    /** {@link #lag} when the lag cannot be known (a null reply). */
    public static final long LAG_UNKNOWN = Long.MIN_VALUE;

    /**
     * The group's lag (entries not yet delivered), or {@link #LAG_UNKNOWN}. It can be negative
     * when XSETID lowered the entries-added counter, as in Redis.
     */
    public long lag(ConsumerGroup g) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (g.entriesRead != ConsumerGroup.ENTRIES_READ_INVALID && !rangeHasTombstones(g.lastId, null)) {
            return entriesAdded - g.entriesRead;
        }
        long read = estimateDistanceFromFirstEverEntry(g.lastId);
        return read == ConsumerGroup.ENTRIES_READ_INVALID ? LAG_UNKNOWN : entriesAdded - read;
    }

    // --- RedisValue -------------------------------------------------------------------------

    @Override
    public String typeName() {
        return "stream";
    }

    @Override
    public String encoding() {
        return "stream";
    }

    @Override
    public RedisStream copy() {
        RedisStream s = new RedisStream();
        for (var e : nodes.entrySet()) {
            s.nodes.put(e.getKey(), e.getValue().copy());
        }
        s.length = length;
        s.lastId = lastId;
        s.firstId = firstId;
        s.maxDeletedId = maxDeletedId;
        s.entriesAdded = entriesAdded;
        if (groups != null) {
            s.groups = new TreeMap<>(Arrays::compareUnsigned);
            for (var g : groups.values()) {
                s.groups.put(g.name(), g.copy());
            }
        }
        return s;
    }

    /** {@link #memoryUsage()} computed from scratch (tests compare it with the running figure). */
    long memoryUsageRecounted() {
        interiorBytes = -1;
        return memoryUsage();
    }

    /** A node's object, its map entry and its key, beside its listpack. */
    private static final long NODE_OVERHEAD = 72;

    @Override
    public long memoryUsage() {
        Map.Entry<StreamId, StreamNode> last = tailEntry();
        StreamNode tail = last == null ? null : last.getValue();
        if (interiorBytes < 0) {
            long sum = 0;
            for (StreamNode n : nodes.values()) {
                if (n != tail) {
                    sum += n.allocated() + NODE_OVERHEAD;
                }
            }
            interiorBytes = sum;
        }
        long m = 80 + interiorBytes + (tail == null ? 0 : tail.allocated() + NODE_OVERHEAD);
        if (groups != null) {
            for (ConsumerGroup g : groups.values()) {
                m += 96 + g.name().length + g.pel.size() * 120L;
                for (Consumer c : g.consumers.values()) {
                    m += 96 + c.name().length + c.pel.size() * 56L;
                }
            }
        }
        return m;
    }

    @Override
    public void digest(MessageDigest d) {
        d.update("stream".getBytes(StandardCharsets.US_ASCII));
        StreamIterator it = iterator(null, null, false);
        while (it.next()) {
            d.update(it.id().toBytes());
            for (long i = 0; i < it.numFields(); i++) {
                it.nextField();
                d.update(it.field());
                d.update(it.value());
            }
        }
        d.update(lastId.toBytes());
        if (groups != null) {
            for (ConsumerGroup g : groups.values()) {
                d.update(g.name());
                d.update(g.lastId.toBytes());
                for (var e : g.pel.entrySet()) {
                    d.update(e.getKey().toBytes());
                    d.update(e.getValue().consumer.name());
                }
            }
        }
    }
}
