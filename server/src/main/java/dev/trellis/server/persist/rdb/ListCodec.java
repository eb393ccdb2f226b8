package dev.trellis.server.persist.rdb;

import dev.trellis.server.persist.CommandSink;
import dev.trellis.server.types.list.ListLimits;
import dev.trellis.server.types.list.Listpack;
import dev.trellis.server.types.list.PackedEntries;
import dev.trellis.server.types.list.RedisList;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists: written as a quicklist of listpack nodes (RDB_TYPE_LIST_QUICKLIST_2), each node's
 * entries copied as they are stored (our nodes use the listpack entry layout). Read from every
 * form Redis ever wrote: plain element lists, a ziplist, quicklists of ziplists or listpacks
 * (and plain nodes).
 */
final class ListCodec implements TypeCodec {
    private static final byte[] RPUSH = "RPUSH".getBytes(StandardCharsets.US_ASCII);

    @Override
    public boolean saves(Object value) {
        return value instanceof RedisList;
    }

    @Override
    public int rdbType(Object value, int version) {
        return Rdb.TYPE_LIST_QUICKLIST_2;
    }

    @Override
    public void write(RdbOutput out, Object value, int version) {
        RedisList l = (RedisList) value;
        List<byte[]> nodes = new ArrayList<>();
        ListpackBuilder node = null;
        byte[] current = null;
        for (RedisList.Cursor c = l.cursor(0, true); c.valid(); c.advance()) {
            byte[] buf = c.buffer();
            if (buf != current) {
                if (node != null) {
                    nodes.add(node.build());
                }
                node = new ListpackBuilder();
                current = buf;
            }
            int off = c.offset();
            node.addRaw(buf, off, Listpack.entrySizeAt(buf, off));
        }
        if (node != null) {
            nodes.add(node.build());
        }
        out.writeLen(nodes.size());
        for (byte[] n : nodes) {
            out.writeLen(Rdb.QUICKLIST_NODE_PACKED);
            out.writeString(n);
        }
    }

    @Override
    public boolean loads(int t) {
        return t == Rdb.TYPE_LIST || t == Rdb.TYPE_LIST_ZIPLIST || t == Rdb.TYPE_LIST_QUICKLIST || t == Rdb.TYPE_LIST_QUICKLIST_2;
    }

    @Override
    public Object read(RdbInput in, int t, LoadContext ctx) {
        RedisList l = new RedisList(ctx.listLimits());
        switch (t) {
            case Rdb.TYPE_LIST -> {
                for (long n = in.readCount(); n > 0; n--) {
                    l.push(in.readString(), false);
                }
            }
            case Rdb.TYPE_LIST_ZIPLIST -> PackedReader.ziplist(in.readString(), v -> l.push(v, false));
            case Rdb.TYPE_LIST_QUICKLIST_2 -> {
                RedisList adopted = readQuicklist2(in, l, ctx);
                if (adopted != null) {
                    return adopted.isEmpty() ? ValueCodec.EMPTY : adopted;
                }
            }
            default -> {
                for (long n = in.readCount(); n > 0; n--) {
                    long container = t == Rdb.TYPE_LIST_QUICKLIST_2 ? readContainer(in) : Rdb.QUICKLIST_NODE_PACKED;
                    byte[] data = readNode(in);
                    if (container == Rdb.QUICKLIST_NODE_PLAIN) {
                        l.push(data, false);
                    } else if (t == Rdb.TYPE_LIST_QUICKLIST_2) {
                        PackedReader.listpack(data, v -> l.push(v, false));
                    } else {
                        PackedReader.ziplist(data, v -> l.push(v, false));
                    }
                }
            }
        }
        return l.isEmpty() ? ValueCodec.EMPTY : l;
    }

    /** A quicklist-2 node's container kind: packed (a listpack) or plain (one element). */
    private static long readContainer(RdbInput in) {
        long container = in.readLen();
        if (container != Rdb.QUICKLIST_NODE_PACKED && container != Rdb.QUICKLIST_NODE_PLAIN) {
            throw RdbException.corrupt("Quicklist integrity check failed.");
        }
        return container;
    }

    /** A quicklist node's bytes, which are never empty. */
    private static byte[] readNode(RdbInput in) {
        byte[] data = in.readString();
        if (data.length == 0) {
            throw RdbException.corrupt("Quicklist integrity check failed.");
        }
        return data;
    }

    /**
     * A quicklist of listpack nodes (what Redis 7 writes): the nodes' entries are taken as they
     * are, checked entry by entry, instead of decoding and re-encoding every element. Returns
     * null when it filled {@code l} the slow way (a plain node, or a node that does not pass the
     * quick check, so the element-wise reader reports the exact error).
     */
    private static RedisList readQuicklist2(RdbInput in, RedisList l, LoadContext ctx) {
        long n = in.readCount();
        List<byte[]> blobs = new ArrayList<>((int) Math.min(n, 1024));
        List<PackedEntries> parts = new ArrayList<>((int) Math.min(n, 1024));
        boolean quick = true;
        for (; n > 0; n--) {
            long container = readContainer(in);
            byte[] data = readNode(in);
            if (container == Rdb.QUICKLIST_NODE_PLAIN) {
                quick = false;
                blobs.add(null);
                blobs.add(data);
                continue;
            }
            blobs.add(data);
            PackedEntries e = quick ? entriesOf(data) : null;
            if (e == null) {
                quick = false;
            }
            parts.add(e);
        }
        if (quick) {
            return RedisList.fromNodes(ctx.listLimits(), parts);
        }
        // Slow way, in file order: a null marker precedes each plain node's element.
        for (int i = 0; i < blobs.size(); i++) {
            byte[] b = blobs.get(i);
            if (b == null) {
                l.push(blobs.get(++i), false);
            } else {
                PackedReader.listpack(b, v -> l.push(v, false));
            }
        }
        return null;
    }

    /** A listpack's entries (kept in place) when its header, count and terminator are right, else null. */
    private static PackedEntries entriesOf(byte[] lp) {
        return PackedAdoption.entries(lp);
    }

    @Override
    public void rewrite(CommandSink out, byte[] key, Object value) {
        RedisList l = (RedisList) value;
        List<byte[]> batch = new ArrayList<>();
        for (RedisList.Cursor c = l.cursor(0, true); c.valid(); c.advance()) {
            batch.add(c.get());
            if (batch.size() == AofBatch.ITEMS) {
                AofBatch.emit(out, RPUSH, key, batch);
            }
        }
        AofBatch.emit(out, RPUSH, key, batch);
    }
}
