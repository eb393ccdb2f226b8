package dev.trellis.server.types.stream;

import dev.trellis.server.resp.Reply;
import java.util.Map;

/**
 * Walks the entries of a stream between two IDs (inclusive), forwards or backwards, as
 * Redis's streamIterator: {@link #next} moves to the next entry in range and exposes its ID
 * and field count, then {@link #nextField} steps through its field/value pairs, which can be
 * read as bytes or written straight into a reply. Tombstones (deleted entries) are skipped
 * unless {@link #includeTombstones} is called. {@link #removeCurrent} deletes the current
 * entry and re-seeks, so iteration continues with {@link #next}.
 *
 * <p>The stream must not be changed by anything else while an iterator is in use.
 */
public final class StreamIterator {
    private final RedisStream stream;
    private long startMs;
    private long startSeq;
    private long endMs;
    private long endSeq;
    private final boolean rev;
    private boolean skipTombstones = true;

    /** The node being read, or null before the first node / after the last one. */
    private Map.Entry<StreamId, StreamNode> node;
    private boolean started;
    private boolean done;
    private byte[] lp;
    private int ele;            // listpack cursor, -1 when the node is exhausted
    private long masterMs;
    private long masterSeq;
    private long masterFieldsCount;
    private int masterFieldsStart;
    private int masterFieldsPtr;
    private int flagsPos;
    private int entryFlags;

    private long ms;
    private long seq;
    private long numFields;
    private int fieldPos;
    private int valuePos;

    StreamIterator(RedisStream stream, StreamId start, StreamId end, boolean rev) {
        this.stream = stream;
        this.rev = rev;
        seek(start, end);
    }

    private void seek(StreamId start, StreamId end) {
        StreamId s = start == null ? StreamId.MIN : start;
        StreamId e = end == null ? StreamId.MAX : end;
        startMs = s.ms();
        startSeq = s.seq();
        endMs = e.ms();
        endSeq = e.seq();
        var nodes = stream.nodes;
        started = false;
        lp = null;
        ele = -1;
        if (!rev) {
            if (start != null && !start.isZero()) {
                node = nodes.floorEntry(start);
                if (node == null) {
                    node = nodes.firstEntry();
                }
            } else {
                node = nodes.firstEntry();
            }
        } else {
            if (end != null && !end.isZero()) {
                node = nodes.floorEntry(end);
                if (node == null) {
                    node = nodes.lastEntry();
                }
            } else {
                node = nodes.lastEntry();
            }
        }
    }

    /** Emit deleted entries too (Redis's skip_tombstones = 0). */
    public StreamIterator includeTombstones() {
        skipTombstones = false;
        return this;
    }

    /** Millisecond part of the current entry's ID. */
    public long ms() {
        return ms;
    }

    /** Sequence part of the current entry's ID. */
    public long seq() {
        return seq;
    }

    public StreamId id() {
        return new StreamId(ms, seq);
    }

    /** Number of field/value pairs of the current entry. */
    public long numFields() {
        return numFields;
    }

    /** True when the current entry is a tombstone (only seen with {@link #includeTombstones}). */
    public boolean isDeleted() {
        return (entryFlags & StreamNode.DELETED) != 0;
    }

    /** Moves to the next entry in range; false when there is none. */
    public boolean next() {
        while (!done) {
            if (lp == null || ele < 0) {
                if (!advanceNode()) {
                    return false;
                }
                StreamNode n = node.getValue();
                lp = n.lp;
                masterMs = node.getKey().ms();
                masterSeq = node.getKey().seq();
                int p = n.masterFieldCountPos();
                masterFieldsCount = Lp.intAt(lp, p);
                p = Lp.next(lp, p);
                masterFieldsStart = p;
                if (!rev) {
                    for (long i = 0; i < masterFieldsCount; i++) {
                        p = Lp.next(lp, p);
                    }
                    ele = p; // the master terminator, skipped below
                } else {
                    ele = Lp.prev(lp, Lp.totalBytes(lp) - 1);
                }
            } else if (rev) {
                // Step back over the entry just emitted to the previous entry's lp-count.
                long lpCount = Lp.intAt(lp, ele);
                for (long i = 0; i < lpCount; i++) {
                    ele = Lp.prev(lp, ele);
                }
                ele = Lp.prev(lp, ele);
            }
            if (scanNode()) {
                return true;
            }
        }
        return false;
    }

    private boolean advanceNode() {
        var nodes = stream.nodes;
        if (!started) {
            started = true;
        } else if (node != null) {
            node = rev ? nodes.lowerEntry(node.getKey()) : nodes.higherEntry(node.getKey());
        }
        return node != null;
    }

    /** Scans the current node for the next entry in range; false when the node is done. */
    private boolean scanNode() {
        while (true) {
            if (!rev) {
                ele = Lp.next(lp, ele);
                if ((lp[ele] & 0xFF) == Lp.EOF) {
                    ele = -1;
                    return false;
                }
            } else {
                long lpCount = Lp.intAt(lp, ele);
                if (lpCount == 0) {
                    lp = null;
                    ele = -1;
                    return false;
                }
                for (long i = 0; i < lpCount; i++) {
                    ele = Lp.prev(lp, ele);
                }
            }
            flagsPos = ele;
            int flags = (int) Lp.intAt(lp, ele);
            ele = Lp.next(lp, ele);
            long curMs = masterMs + Lp.intAt(lp, ele);
            ele = Lp.next(lp, ele);
            long curSeq = masterSeq + Lp.intAt(lp, ele);
            ele = Lp.next(lp, ele);
            long fields;
            if ((flags & StreamNode.SAMEFIELDS) != 0) {
                fields = masterFieldsCount;
            } else {
                fields = Lp.intAt(lp, ele);
                ele = Lp.next(lp, ele);
            }
            boolean visible = !skipTombstones || (flags & StreamNode.DELETED) == 0;
            if (!rev) {
                if (StreamId.compare(curMs, curSeq, startMs, startSeq) >= 0 && visible) {
                    if (StreamId.compare(curMs, curSeq, endMs, endSeq) > 0) {
                        return stop();
                    }
                    return emit(flags, curMs, curSeq, fields);
                }
                long skip = (flags & StreamNode.SAMEFIELDS) != 0 ? fields : fields * 2;
                for (long i = 0; i < skip; i++) {
                    ele = Lp.next(lp, ele);
                }
            } else {
                if (StreamId.compare(curMs, curSeq, endMs, endSeq) <= 0 && visible) {
                    if (StreamId.compare(curMs, curSeq, startMs, startSeq) < 0) {
                        return stop();
                    }
                    return emit(flags, curMs, curSeq, fields);
                }
                int back = (flags & StreamNode.SAMEFIELDS) != 0 ? 4 : 5;
                for (int i = 0; i < back; i++) {
                    ele = Lp.prev(lp, ele);
                }
            }
        }
    }

    private boolean emit(int flags, long curMs, long curSeq, long fields) {
        entryFlags = flags;
        ms = curMs;
        seq = curSeq;
        numFields = fields;
        masterFieldsPtr = masterFieldsStart;
        return true;
    }

    /** Out of range: the iteration is over, and later calls to {@link #next} say so too. */
    private boolean stop() {
        done = true;
        lp = null;
        ele = -1;
        return false;
    }

    /** Moves to the next field/value pair of the current entry (call {@link #numFields} times). */
    public void nextField() {
        if ((entryFlags & StreamNode.SAMEFIELDS) != 0) {
            fieldPos = masterFieldsPtr;
            masterFieldsPtr = Lp.next(lp, masterFieldsPtr);
        } else {
            fieldPos = ele;
            ele = Lp.next(lp, ele);
        }
        valuePos = ele;
        ele = Lp.next(lp, ele);
    }

    public byte[] field() {
        return Lp.get(lp, fieldPos);
    }

    public byte[] value() {
        return Lp.get(lp, valuePos);
    }

    public void replyField(Reply r) {
        Lp.reply(r, lp, fieldPos);
    }

    public void replyValue(Reply r) {
        Lp.reply(r, lp, valuePos);
    }

    /**
     * Deletes the current entry (marks it deleted; drops the node when it was the node's last
     * live entry) and re-seeks so {@link #next} continues after it. The stream's first ID and
     * max-deleted ID are left to the caller, as in Redis.
     */
    public void removeCurrent() {
        stream.interiorBytes = -1;
        StreamNode n = node.getValue();
        int flags = (int) Lp.intAt(lp, flagsPos);
        n.replaceInt(flagsPos, flags | StreamNode.DELETED); // same size: flags stay one byte
        long live = n.liveCount();
        if (live == 1) {
            stream.removeNode(node.getKey());
        } else {
            n.replaceInt(Lp.HEADER, live - 1);
            int q = Lp.next(n.lp, Lp.HEADER);
            n.replaceInt(q, Lp.intAt(n.lp, q) + 1);
        }
        stream.length--;
        StreamId cur = new StreamId(ms, seq);
        StreamId start;
        StreamId end;
        if (rev) {
            start = new StreamId(startMs, startSeq);
            end = cur;
        } else {
            start = cur;
            end = new StreamId(endMs, endSeq);
        }
        skipTombstones = true; // a restarted Redis iterator skips them again
        done = false;
        seek(start, end);
    }
}
