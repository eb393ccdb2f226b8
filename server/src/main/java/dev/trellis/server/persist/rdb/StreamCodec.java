package dev.trellis.server.persist.rdb;

import dev.trellis.server.persist.CommandSink;
import dev.trellis.server.types.stream.Consumer;
import dev.trellis.server.types.stream.ConsumerGroup;
import dev.trellis.server.types.stream.PendingEntry;
import dev.trellis.server.types.stream.RedisStream;
import dev.trellis.server.types.stream.StreamId;
import dev.trellis.server.types.stream.StreamIterator;
import dev.trellis.server.types.stream.StreamNode;
import java.nio.charset.StandardCharsets;
import dev.trellis.server.types.list.Listpack;
import dev.trellis.server.types.list.PackedEntries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Streams: the listpack nodes go as they are (our nodes use Redis's layout), keyed by their
 * master ID, then the counters, then the consumer groups with their pending entries and
 * consumers. Version 10 files carry RDB_TYPE_STREAM_LISTPACKS_2 (no consumer active time),
 * 11+ carry _3; all three versions are read. Nodes are checked for the stream layout before
 * they are accepted, so a corrupt file cannot plant a node the commands would trip over.
 */
final class StreamCodec implements TypeCodec {
    @Override
    public boolean saves(Object value) {
        return value instanceof RedisStream;
    }

    @Override
    public int rdbType(Object value, int version) {
        return version >= 11 ? Rdb.TYPE_STREAM_LISTPACKS_3 : Rdb.TYPE_STREAM_LISTPACKS_2;
    }

    private static byte[] rawId(StreamId id) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (id.ms() >>> (56 - 8 * i));
            b[8 + i] = (byte) (id.seq() >>> (56 - 8 * i));
        }
        return b;
    }

    private static StreamId fromRaw(byte[] b) {
        long ms = 0;
        long seq = 0;
        for (int i = 0; i < 8; i++) {
            ms = (ms << 8) | (b[i] & 0xff);
            seq = (seq << 8) | (b[8 + i] & 0xff);
        }
        return new StreamId(ms, seq);
    }

    @Override
    public void write(RdbOutput out, Object value, int version) {
        RedisStream s = (RedisStream) value;
        int type = rdbType(s, version);
        Map<StreamId, StreamNode> nodes = s.nodes();
        out.writeLen(nodes.size());
        for (Map.Entry<StreamId, StreamNode> n : nodes.entrySet()) {
            out.writeString(rawId(n.getKey()));
            out.writeString(n.getValue().listpack());
        }
        out.writeLen(s.length());
        out.writeLen(s.lastId().ms());
        out.writeLen(s.lastId().seq());
        out.writeLen(s.firstId().ms());
        out.writeLen(s.firstId().seq());
        out.writeLen(s.maxDeletedId().ms());
        out.writeLen(s.maxDeletedId().seq());
        out.writeLen(s.entriesAdded());
        out.writeLen(s.groupCount());
        if (s.groupCount() == 0) {
            return;
        }
        for (ConsumerGroup g : s.groups().values()) {
            out.writeString(g.name());
            out.writeLen(g.lastId.ms());
            out.writeLen(g.lastId.seq());
            out.writeLen(g.entriesRead);
            out.writeLen(g.pel.size());
            for (Map.Entry<StreamId, PendingEntry> p : g.pel.entrySet()) {
                out.writeRaw(rawId(p.getKey()));
                out.writeInt64LE(p.getValue().deliveryTime);
                out.writeLen(p.getValue().deliveryCount);
            }
            out.writeLen(g.consumers.size());
            for (Consumer c : g.consumers.values()) {
                out.writeString(c.name());
                out.writeInt64LE(c.seenTime);
                if (type >= Rdb.TYPE_STREAM_LISTPACKS_3) {
                    out.writeInt64LE(c.activeTime);
                }
                out.writeLen(c.pel.size());
                for (StreamId id : c.pel.keySet()) {
                    out.writeRaw(rawId(id));
                }
            }
        }
    }

    @Override
    public boolean loads(int t) {
        return t == Rdb.TYPE_STREAM_LISTPACKS || t == Rdb.TYPE_STREAM_LISTPACKS_2 || t == Rdb.TYPE_STREAM_LISTPACKS_3;
    }

    private static long num(List<byte[]> e, int i) {
        if (i >= e.size()) {
            throw RdbException.corrupt("Stream listpack integrity check failed.");
        }
        long v = StrictLong.parse(e.get(i), 0, e.get(i).length);
        if (v == StrictLong.INVALID) {
            throw RdbException.corrupt("Stream listpack integrity check failed.");
        }
        return v;
    }

    /** Checks the stream node layout (master entry, entries, back counts); returns live entries. */
    static long validateNode(byte[] lp) {
        PackedEntries pe = PackedAdoption.entries(lp);
        return pe == null ? validateNodeElementWise(lp) : validateNode(pe);
    }

    /** {@link #validateNode} walking a well-formed listpack in place (no element copies). */
    private static long validateNode(PackedEntries pe) {
        int n = pe.count();
        if (n == 0) {
            throw RdbException.corrupt("Empty listpack inside stream");
        }
        NodeCursor c = new NodeCursor(pe);
        long count = c.num();
        long deleted = c.num();
        long masterFields = c.num();
        if (count < 0 || deleted < 0 || masterFields < 0 || masterFields > n) {
            throw RdbException.corrupt("Stream listpack integrity check failed.");
        }
        c.skip(masterFields);
        if (c.num() != 0) {
            throw RdbException.corrupt("Stream listpack integrity check failed.");
        }
        long entries = 0;
        while (c.index < n) {
            long start = c.index;
            long flags = c.num();
            c.num();
            c.num();
            if ((flags & StreamNode.SAMEFIELDS) != 0) {
                c.skip(masterFields);
            } else {
                long fields = c.num();
                if (fields < 0 || fields > n) {
                    throw RdbException.corrupt("Stream listpack integrity check failed.");
                }
                c.skip(2 * fields);
            }
            long lpCount = c.num();
            if (lpCount != c.index - start - 1) {
                throw RdbException.corrupt("Stream listpack integrity check failed.");
            }
            entries++;
        }
        if (c.index != n || entries != count + deleted) {
            throw RdbException.corrupt("Stream listpack integrity check failed.");
        }
        return count;
    }

    /** Walks a node's entries in order, reading them as integers. */
    private static final class NodeCursor {
        private final PackedEntries pe;
        private final byte[] b;
        private int p;
        long index;

        NodeCursor(PackedEntries pe) {
            this.pe = pe;
            this.b = pe.buffer();
            this.p = pe.first();
        }

        /** The current entry as an integer (integer entries, or canonical digits); moves past it. */
        long num() {
            if (index >= pe.count() || p < 0) {
                throw RdbException.corrupt("Stream listpack integrity check failed.");
            }
            long v;
            if (Listpack.isInt(b, p)) {
                v = Listpack.intValue(b, p);
            } else {
                v = StrictLong.parse(b, Listpack.strOffset(b, p), Listpack.strLength(b, p));
            }
            if (v == StrictLong.INVALID) {
                throw RdbException.corrupt("Stream listpack integrity check failed.");
            }
            p = pe.next(p);
            index++;
            return v;
        }

        /** Moves past {@code k} entries (past the end leaves the cursor there). */
        void skip(long k) {
            for (long j = 0; j < k && p >= 0; j++) {
                p = pe.next(p);
            }
            index += k;
        }
    }

    /** {@link #validateNode} over decoded elements: for listpacks that are not well formed (exact errors). */
    private static long validateNodeElementWise(byte[] lp) {
        List<byte[]> e = new ArrayList<>();
        PackedReader.listpack(lp, e::add);
        if (e.isEmpty()) {
            throw RdbException.corrupt("Empty listpack inside stream");
        }
        long count = num(e, 0);
        long deleted = num(e, 1);
        long masterFields = num(e, 2);
        if (count < 0 || deleted < 0 || masterFields < 0 || masterFields > e.size()) {
            throw RdbException.corrupt("Stream listpack integrity check failed.");
        }
        int i = 3 + (int) masterFields;
        if (num(e, i) != 0) {
            throw RdbException.corrupt("Stream listpack integrity check failed.");
        }
        i++;
        long entries = 0;
        while (i < e.size()) {
            int start = i;
            long flags = num(e, i++);
            num(e, i++);
            num(e, i++);
            long fields;
            if ((flags & StreamNode.SAMEFIELDS) != 0) {
                fields = masterFields;
                i += (int) fields;
            } else {
                fields = num(e, i++);
                if (fields < 0 || fields > e.size()) {
                    throw RdbException.corrupt("Stream listpack integrity check failed.");
                }
                i += (int) (2 * fields);
            }
            long lpCount = num(e, i++);
            if (lpCount != i - start - 1) {
                throw RdbException.corrupt("Stream listpack integrity check failed.");
            }
            entries++;
        }
        if (i != e.size() || entries != count + deleted) {
            throw RdbException.corrupt("Stream listpack integrity check failed.");
        }
        return count;
    }

    @Override
    public Object read(RdbInput in, int t, LoadContext ctx) {
        RedisStream s = new RedisStream();
        long nodes = in.readCount();
        long live = 0;
        for (; nodes > 0; nodes--) {
            byte[] key = in.readString();
            if (key.length != 16) {
                throw RdbException.corrupt("Stream node key entry is not the size of a stream ID");
            }
            byte[] lp = in.readString();
            live += validateNode(lp);
            StreamId master = fromRaw(key);
            if (s.nodes().containsKey(master)) {
                throw RdbException.corrupt("Listpack re-added with existing key");
            }
            s.putNode(master, StreamNode.ofListpack(lp));
        }
        long length = in.readLen();
        s.length(length);
        s.lastId(new StreamId(in.readLenUnsigned(), in.readLenUnsigned()));
        if (t >= Rdb.TYPE_STREAM_LISTPACKS_2) {
            s.firstId(new StreamId(in.readLenUnsigned(), in.readLenUnsigned()));
            s.maxDeletedId(new StreamId(in.readLenUnsigned(), in.readLenUnsigned()));
            s.entriesAdded(in.readLenUnsigned());
        } else {
            s.maxDeletedId(StreamId.MIN);
            s.entriesAdded(length);
            StreamId first = s.edgeId(true, true);
            s.firstId(first == null ? StreamId.MIN : first);
        }
        if (length != live || (length > 0 && s.nodeCount() == 0)) {
            throw RdbException.corrupt("Stream length inconsistent with rax entries");
        }
        for (long groups = in.readCount(); groups > 0; groups--) {
            byte[] name = in.readString();
            StreamId last = new StreamId(in.readLenUnsigned(), in.readLenUnsigned());
            long read = t >= Rdb.TYPE_STREAM_LISTPACKS_2 ? in.readLenUnsigned() : s.estimateDistanceFromFirstEverEntry(last);
            ConsumerGroup g = s.createGroup(name, last, read);
            if (g == null) {
                throw RdbException.corrupt("Duplicated consumer group name " + new String(name, StandardCharsets.UTF_8));
            }
            for (long n = in.readCount(); n > 0; n--) {
                StreamId id = fromRaw(in.readBytes(16));
                long time = in.readInt64LE();
                long count = in.readLenUnsigned();
                if (g.pel.put(id, new PendingEntry(time, count, null)) != null) {
                    throw RdbException.corrupt("Duplicated global PEL entry loading stream consumer group");
                }
            }
            for (long n = in.readCount(); n > 0; n--) {
                byte[] cname = in.readString();
                long seen = in.readInt64LE();
                Consumer c = g.createConsumer(cname, seen);
                if (c == null) {
                    throw RdbException.corrupt("Duplicate stream consumer detected.");
                }
                c.seenTime = seen;
                c.activeTime = t >= Rdb.TYPE_STREAM_LISTPACKS_3 ? in.readInt64LE() : seen;
                for (long k = in.readCount(); k > 0; k--) {
                    StreamId id = fromRaw(in.readBytes(16));
                    PendingEntry pe = g.pel.get(id);
                    if (pe == null) {
                        throw RdbException.corrupt("Consumer entry not found in group global PEL");
                    }
                    if (pe.consumer != null) {
                        throw RdbException.corrupt("Duplicated consumer PEL entry  loading a stream consumer group");
                    }
                    pe.consumer = c;
                    c.pel.put(id, pe);
                }
            }
            for (PendingEntry pe : g.pel.values()) {
                if (pe.consumer == null) {
                    throw RdbException.corrupt("Stream CG PEL entry without consumer");
                }
            }
        }
        return s;
    }

    @Override
    public void rewrite(CommandSink out, byte[] key, Object value) {
        RedisStream s = (RedisStream) value;
        for (String cmd : new String[] {"xsetid", "xgroup", "xclaim"}) {
            if (!out.supports(cmd) && (cmd.equals("xsetid") || s.groupCount() > 0)) {
                throw new IllegalStateException("cannot rewrite a stream as commands without " + cmd.toUpperCase());
            }
        }
        byte[] xadd = b("XADD");
        if (s.length() == 0) {
            out.command(xadd, key, b("MAXLEN"), b("0"), s.lastId().toBytes(), b("x"), b("y"));
        } else {
            StreamIterator it = s.iterator(StreamId.MIN, StreamId.MAX, false);
            while (it.next()) {
                List<byte[]> argv = new ArrayList<>(List.of(xadd, key, it.id().toBytes()));
                for (long f = it.numFields(); f > 0; f--) {
                    it.nextField();
                    argv.add(it.field());
                    argv.add(it.value());
                }
                out.command(argv.toArray(new byte[0][]));
            }
        }
        out.command(b("XSETID"), key, s.lastId().toBytes(), b("ENTRIESADDED"), b(Long.toString(s.entriesAdded())),
                b("MAXDELETEDID"), s.maxDeletedId().toBytes());
        if (s.groupCount() == 0) {
            return;
        }
        for (ConsumerGroup g : s.groups().values()) {
            out.command(b("XGROUP"), b("CREATE"), key, g.name(), g.lastId.toBytes(), b("ENTRIESREAD"),
                    b(Long.toString(g.entriesRead)));
            for (Consumer c : g.consumers.values()) {
                if (c.pel.isEmpty()) {
                    out.command(b("XGROUP"), b("CREATECONSUMER"), key, g.name(), c.name());
                }
                for (Map.Entry<StreamId, PendingEntry> p : c.pel.entrySet()) {
                    out.command(b("XCLAIM"), key, g.name(), c.name(), b("0"), p.getKey().toBytes(), b("TIME"),
                            b(Long.toString(p.getValue().deliveryTime)), b("RETRYCOUNT"),
                            b(Long.toString(p.getValue().deliveryCount)), b("JUSTID"), b("FORCE"));
                }
            }
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
