package dev.trellis.server.types.list;

import dev.trellis.server.types.RedisValue;
import java.util.Arrays;

/**
 * A list value: a sequence of {@link PackedEntries} nodes. While the list fits one node under
 * {@code list-max-listpack-size} it reports the encoding {@code listpack}; past that it becomes a
 * {@code quicklist} of nodes each kept under the limit, and turns back into a listpack when it
 * shrinks to one node at most half the limit (Redis's rules, so OBJECT ENCODING agrees).
 *
 * <p>Indexes are 0-based from the head; callers normalise negative indexes. Every mutator keeps
 * the encoding rules; callers only deal with notifications and key deletion when empty.
 */
public final class RedisList implements RedisValue {
    private final ListLimits limits;
    private PackedEntries[] nodes;
    private int nodeCount;
    private long size;
    private boolean quick;
    /** Set by {@link #locate}: the node index and entry offset of the located element. */
    private int locNode;
    private int locOffset;

    public RedisList(ListLimits limits) {
        this.limits = limits;
        this.nodes = new PackedEntries[1];
    }

    private RedisList(RedisList o) {
        this.limits = o.limits;
        this.nodes = new PackedEntries[Math.max(1, o.nodeCount)];
        for (int i = 0; i < o.nodeCount; i++) {
            nodes[i] = o.nodes[i].copy();
        }
        this.nodeCount = o.nodeCount;
        this.size = o.size;
        this.quick = o.quick;
    }

    @Override
    public String typeName() {
        return "list";
    }

    @Override
    public String encoding() {
        return quick ? "quicklist" : "listpack";
    }

    @Override
    public RedisList copy() {
        return new RedisList(this);
    }

    @Override
    public long memoryUsage() {
        long m = 48 + 16L + 4L * nodes.length;
        for (int i = 0; i < nodeCount; i++) {
            m += 32 + nodes[i].capacity();
        }
        return m;
    }

    public long size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** True when encoded as a quicklist (several nodes allowed). */
    public boolean isQuicklist() {
        return quick;
    }

    /** Number of nodes (for tests and DEBUG-style introspection). */
    public int nodeCount() {
        return nodeCount;
    }

    /** Node {@code i} (0 = head), for serialisation; do not modify it. */
    public PackedEntries node(int i) {
        return nodes[i];
    }

    /**
     * A list made of ready nodes (loading a file): encoded as a listpack when it is a single
     * node within the limit, else as a quicklist. Empty nodes are skipped.
     */
    public static RedisList fromNodes(ListLimits limits, java.util.List<PackedEntries> parts) {
        RedisList l = new RedisList(limits);
        for (PackedEntries n : parts) {
            if (!n.isEmpty()) {
                l.insertNode(l.nodeCount, n);
                l.size += n.count();
            }
        }
        l.quick = l.nodeCount > 1
                || (l.nodeCount == 1 && limits.exceeds(l.nodes[0].listpackBytes(), l.nodes[0].count()));
        return l;
    }

    // --- encoding rules ------------------------------------------------------------------

    /**
     * Before adding {@code addCount} elements totalling {@code addBytes} raw bytes: a listpack
     * that would pass the limit becomes a quicklist (Redis checks the whole batch at once).
     */
    public void beforeGrow(long addBytes, long addCount) {
        if (quick) {
            return;
        }
        long bytes = (nodeCount == 0 ? Listpack.OVERHEAD : nodes[0].listpackBytes()) + addBytes;
        if (limits.exceeds(bytes, size + addCount)) {
            quick = true;
        }
    }

    /** After removing elements: a quicklist of one small node goes back to a listpack. */
    public void afterShrink() {
        if (!quick || nodeCount > 1) {
            return;
        }
        if (nodeCount == 0) {
            quick = false;
            return;
        }
        PackedEntries n = nodes[0];
        long sizeLimit = limits.sizeLimit();
        long countLimit = limits.countLimit();
        if (n.listpackBytes() > ListLimits.SAFETY_LIMIT && limits.fill() >= 0 && n.count() == 1) {
            return; // a large element's own node
        }
        if (n.listpackBytes() <= (sizeLimit == Long.MAX_VALUE ? sizeLimit : sizeLimit / 2)
                && n.count() <= (countLimit == Long.MAX_VALUE ? countLimit : countLimit / 2)) {
            quick = false;
        }
    }

    private boolean allowInsert(PackedEntries node, int len) {
        if (node == null || limits.isLarge(len)) {
            return false;
        }
        return !limits.exceeds((long) node.listpackBytes() + len + ListLimits.ENTRY_OVERHEAD, node.count() + 1L);
    }

    // --- node array ----------------------------------------------------------------------

    private PackedEntries newNode(int index, int capacity) {
        if (nodeCount == nodes.length) {
            nodes = Arrays.copyOf(nodes, nodeCount * 2);
        }
        System.arraycopy(nodes, index, nodes, index + 1, nodeCount - index);
        PackedEntries n = new PackedEntries(capacity);
        nodes[index] = n;
        nodeCount++;
        return n;
    }

    private void insertNode(int index, PackedEntries n) {
        if (nodeCount == nodes.length) {
            nodes = Arrays.copyOf(nodes, nodeCount * 2);
        }
        System.arraycopy(nodes, index, nodes, index + 1, nodeCount - index);
        nodes[index] = n;
        nodeCount++;
    }

    private void removeNode(int index) {
        System.arraycopy(nodes, index + 1, nodes, index, nodeCount - index - 1);
        nodes[--nodeCount] = null;
        if (nodes.length > 16 && nodeCount * 4 < nodes.length) {
            nodes = Arrays.copyOf(nodes, nodes.length / 2);
        }
    }

    /** Removes node {@code index} if it became empty; returns true if it did. */
    private boolean dropIfEmpty(int index) {
        if (nodes[index].isEmpty()) {
            removeNode(index);
            return true;
        }
        return false;
    }

    // --- push / pop ----------------------------------------------------------------------

    /** Pushes {@code value} at the head or tail, applying the encoding rules. */
    public void push(byte[] value, boolean head) {
        beforeGrow(value.length, 1);
        pushNoCheck(value, head);
    }

    /**
     * Pushes {@code argv[from..to)} one by one (LPUSH a b c leaves c at the head), checking
     * the encoding once for the batch as Redis does.
     */
    public void pushAll(byte[][] argv, int from, int to, boolean head) {
        long bytes = 0;
        for (int i = from; i < to; i++) {
            bytes += argv[i].length;
        }
        beforeGrow(bytes, to - from);
        for (int i = from; i < to; i++) {
            pushNoCheck(argv[i], head);
        }
    }

    private void pushNoCheck(byte[] value, boolean head) {
        PackedEntries n;
        if (!quick) {
            n = nodeCount == 0 ? newNode(0, 0) : nodes[0];
        } else {
            PackedEntries edge = nodeCount == 0 ? null : nodes[head ? 0 : nodeCount - 1];
            if (allowInsert(edge, value.length)) {
                n = edge;
            } else {
                if (edge != null) {
                    edge.trimToSize();
                }
                n = newNode(head ? 0 : nodeCount, 0);
            }
        }
        if (head) {
            n.pushHead(value);
        } else {
            n.pushTail(value);
        }
        size++;
    }

    /** Removes and returns the head or tail element, or null when empty. */
    public byte[] pop(boolean head) {
        if (size == 0) {
            return null;
        }
        int ni = head ? 0 : nodeCount - 1;
        PackedEntries n = nodes[ni];
        int p = head ? n.first() : n.last();
        byte[] v = n.get(p);
        if (head) {
            n.removeHead(1);
        } else {
            n.removeTail(1);
        }
        size--;
        dropIfEmpty(ni);
        afterShrink();
        return v;
    }

    // --- positional access ---------------------------------------------------------------

    /** Finds element {@code index} (0 <= index < size) and sets {@code locNode/locOffset}. */
    private void locate(long index) {
        if (index < size / 2) {
            int i = 0;
            while (index >= nodes[i].count()) {
                index -= nodes[i].count();
                i++;
            }
            locNode = i;
            locOffset = nodes[i].offsetOf((int) index);
        } else {
            long fromEnd = size - 1 - index;
            int i = nodeCount - 1;
            while (fromEnd >= nodes[i].count()) {
                fromEnd -= nodes[i].count();
                i--;
            }
            locNode = i;
            locOffset = nodes[i].offsetOf((int) (nodes[i].count() - 1 - fromEnd));
        }
    }

    /** The element at {@code index}, or null when out of range. */
    public byte[] get(long index) {
        if (index < 0 || index >= size) {
            return null;
        }
        locate(index);
        return nodes[locNode].get(locOffset);
    }

    /** Replaces the element at {@code index}; false when out of range (LSET). */
    public boolean set(long index, byte[] value) {
        if (index < 0 || index >= size) {
            return false;
        }
        beforeGrow(value.length, 1);
        locate(index);
        PackedEntries n = nodes[locNode];
        n.replaceAt(locOffset, value);
        if (quick && n.count() > 1 && limits.exceeds(n.listpackBytes(), n.count())) {
            splitNode(locNode, index - firstIndexOf(locNode));
        }
        afterShrink();
        return true;
    }

    private long firstIndexOf(int node) {
        long idx = 0;
        for (int i = 0; i < node; i++) {
            idx += nodes[i].count();
        }
        return idx;
    }

    /** Splits an over-full node so the element at {@code inNode} heads the second part. */
    private void splitNode(int ni, long inNode) {
        PackedEntries n = nodes[ni];
        int keep = (int) Math.max(1, Math.min(inNode, n.count() - 1));
        PackedEntries tail = n.splitTail(n.count() - keep);
        insertNode(ni + 1, tail);
    }

    /**
     * Inserts {@code value} so it ends up at {@code index} (0 <= index <= size; size appends).
     * Used by LINSERT and by the module API's ListInsert.
     */
    public void insertAt(long index, byte[] value) {
        beforeGrow(value.length, 1);
        if (index <= 0 || size == 0) {
            pushNoCheck(value, true);
            return;
        }
        if (index >= size) {
            pushNoCheck(value, false);
            return;
        }
        locate(index);
        insertBefore(locNode, locOffset, value);
    }

    /** Inserts before the entry at {@code p} in node {@code ni}, splitting or spilling over. */
    private void insertBefore(int ni, int p, byte[] value) {
        PackedEntries n = nodes[ni];
        size++;
        if (!quick || allowInsert(n, value.length)) {
            n.insertAt(p, value);
            return;
        }
        int before = countBefore(n, p);
        if (before == 0) {
            if (ni > 0 && allowInsert(nodes[ni - 1], value.length)) {
                nodes[ni - 1].pushTail(value);
            } else {
                newNode(ni, 0).pushTail(value);
            }
            return;
        }
        // split: the node keeps the entries before p, the rest move to a new node after it
        insertNode(ni + 1, n.splitTail(n.count() - before));
        if (allowInsert(n, value.length)) {
            n.pushTail(value);
        } else if (allowInsert(nodes[ni + 1], value.length)) {
            nodes[ni + 1].pushHead(value);
        } else {
            newNode(ni + 1, 0).pushTail(value);
        }
    }

    private static int countBefore(PackedEntries n, int p) {
        int c = 0;
        for (int q = n.first(); q != p; q = n.next(q)) {
            c++;
        }
        return c;
    }

    /**
     * Inserts {@code value} before or after the first element equal to {@code pivot}. Returns
     * false when there is no such element. The encoding check happens first, as in Redis.
     */
    public boolean insert(byte[] pivot, byte[] value, boolean after) {
        beforeGrow(value.length, 1);
        boolean isInt = Listpack.isCanonicalLong(pivot);
        long v = isInt ? Listpack.parseCanonical(pivot) : 0;
        for (int ni = 0; ni < nodeCount; ni++) {
            PackedEntries n = nodes[ni];
            byte[] b = n.buffer();
            for (int p = n.first(); p >= 0; p = n.next(p)) {
                if (Listpack.equals(b, p, pivot, isInt, v)) {
                    if (!after) {
                        insertBefore(ni, p, value);
                    } else {
                        int q = n.next(p);
                        if (q >= 0) {
                            insertBefore(ni, q, value);
                        } else if (ni + 1 < nodeCount) {
                            insertBefore(ni + 1, nodes[ni + 1].first(), value);
                        } else {
                            pushNoCheck(value, false);
                        }
                    }
                    return true;
                }
            }
        }
        return false;
    }

    /** Removes the element at {@code index}; false when out of range. */
    public boolean delete(long index) {
        if (index < 0 || index >= size) {
            return false;
        }
        locate(index);
        nodes[locNode].removeAt(locOffset);
        size--;
        dropIfEmpty(locNode);
        afterShrink();
        return true;
    }

    /** Removes {@code count} elements starting at {@code from} (clamped to the list). */
    public void removeRange(long from, long count) {
        if (from < 0) {
            count += from;
            from = 0;
        }
        count = Math.min(count, size - from);
        if (count <= 0) {
            return;
        }
        if (from == 0) {
            removeHead(count);
        } else if (from + count == size) {
            removeTail(count);
        } else {
            locate(from);
            int ni = locNode;
            int p = locOffset;
            long left = count;
            while (left > 0) {
                PackedEntries n = nodes[ni];
                int inNode = countFrom(n, p);
                int take = (int) Math.min(left, inNode);
                n.removeRange(p, take);
                left -= take;
                size -= take;
                if (!dropIfEmpty(ni)) {
                    ni++;
                }
                if (left > 0) {
                    p = nodes[ni].first();
                }
            }
        }
        afterShrink();
    }

    private static int countFrom(PackedEntries n, int p) {
        int c = 0;
        for (int q = p; q >= 0; q = n.next(q)) {
            c++;
        }
        return c;
    }

    private void removeHead(long count) {
        while (count > 0) {
            PackedEntries n = nodes[0];
            if (n.count() <= count) {
                count -= n.count();
                size -= n.count();
                removeNode(0);
            } else {
                n.removeHead((int) count);
                size -= count;
                count = 0;
            }
        }
    }

    private void removeTail(long count) {
        while (count > 0) {
            PackedEntries n = nodes[nodeCount - 1];
            if (n.count() <= count) {
                count -= n.count();
                size -= n.count();
                removeNode(nodeCount - 1);
            } else {
                n.removeTail((int) count);
                size -= count;
                count = 0;
            }
        }
    }

    /**
     * Removes elements equal to {@code value}: the first {@code count} from the head when
     * count > 0, the last |count| from the tail when count < 0, all when 0 (LREM). Returns how
     * many were removed.
     */
    public long remove(byte[] value, long count) {
        boolean isInt = Listpack.isCanonicalLong(value);
        long v = isInt ? Listpack.parseCanonical(value) : 0;
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        long removed = 0;
        if (count >= 0) {
            for (int ni = 0; ni < nodeCount && removed < limit; ) {
                PackedEntries n = nodes[ni];
                int p = n.first();
                while (p >= 0 && removed < limit) {
                    if (Listpack.equals(n.buffer(), p, value, isInt, v)) {
                        p = n.removeAt(p);
                        removed++;
                        size--;
                    } else {
                        p = n.next(p);
                    }
                }
                if (!dropIfEmpty(ni)) {
                    ni++;
                }
            }
        } else {
            for (int ni = nodeCount - 1; ni >= 0 && removed < limit; ni--) {
                PackedEntries n = nodes[ni];
                int p = n.last();
                while (p >= 0 && removed < limit) {
                    if (Listpack.equals(n.buffer(), p, value, isInt, v)) {
                        p = n.removeAtReturningPrev(p);
                        removed++;
                        size--;
                    } else {
                        p = n.prev(p);
                    }
                }
                dropIfEmpty(ni);
            }
        }
        if (removed > 0) {
            afterShrink();
        }
        return removed;
    }

    // --- iteration -----------------------------------------------------------------------

    /** A cursor positioned on element {@code index}, moving towards the tail or the head. */
    public Cursor cursor(long index, boolean towardsTail) {
        Cursor c = new Cursor(towardsTail);
        if (index >= 0 && index < size) {
            locate(index);
            c.node = locNode;
            c.offset = locOffset;
        } else {
            c.node = -1;
        }
        return c;
    }

    /**
     * Reads elements in order without copying them. Valid until the list is modified.
     * Typical use: {@code for (c = list.cursor(i, true); c.valid(); c.advance()) ...}.
     */
    public final class Cursor {
        private final boolean towardsTail;
        int node;
        int offset;

        Cursor(boolean towardsTail) {
            this.towardsTail = towardsTail;
        }

        public boolean valid() {
            return node >= 0;
        }

        public void advance() {
            PackedEntries n = nodes[node];
            int p = towardsTail ? n.next(offset) : n.prev(offset);
            while (p < 0) {
                node += towardsTail ? 1 : -1;
                if (node < 0 || node >= nodeCount) {
                    node = -1;
                    return;
                }
                n = nodes[node];
                p = towardsTail ? n.first() : n.last();
            }
            offset = p;
        }

        /** The buffer holding the current entry (for {@link Listpack} accessors). */
        public byte[] buffer() {
            return nodes[node].buffer();
        }

        /** Offset of the current entry in {@link #buffer()}. */
        public int offset() {
            return offset;
        }

        public byte[] get() {
            return Listpack.get(buffer(), offset);
        }

        public boolean matches(byte[] s, boolean sIsInt, long sVal) {
            return Listpack.equals(buffer(), offset, s, sIsInt, sVal);
        }
    }
}
