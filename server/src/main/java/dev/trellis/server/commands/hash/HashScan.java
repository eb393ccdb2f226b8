package dev.trellis.server.commands.hash;

import dev.trellis.server.client.Client;
import dev.trellis.server.types.hash.RedisHash;
import java.util.ArrayList;
import java.util.List;

/**
 * HSCAN: a table-encoded hash is paged by cursor (at most COUNT*10 buckets per call); a small
 * one is returned whole with cursor 0, as Redis does. Expired fields are skipped.
 */
final class HashScan {
    private HashScan() {
    }

    static void execute(Client c) {
        long start = ScanArgs.parseCursor(c.arg(2));
        RedisHash h = HashCommands.lookupRead(c, c.arg(1));
        if (h == null) {
            ScanArgs.replyEmpty(c.reply());
            return;
        }
        ScanArgs a = ScanArgs.parse(c, start, true);
        long now = c.server().keyspace().now();
        List<byte[]> out = new ArrayList<>();
        long cursor = 0;
        if (!h.isTable()) {
            for (RedisHash.Cursor cur = h.cursor(); cur.next(); ) {
                collect(h, cur.position(), a, now, out);
            }
        } else {
            cursor = a.cursor;
            long maxIterations = a.count * 10;
            int[] sampled = {0};
            do {
                cursor = h.scan(cursor, pos -> {
                    sampled[0]++;
                    collect(h, pos, a, now, out);
                });
            } while (cursor != 0 && maxIterations-- > 0 && sampled[0] < a.count);
        }
        c.reply().array(2);
        ScanArgs.replyCursor(c.reply(), cursor);
        c.reply().array(out.size());
        for (byte[] b : out) {
            c.reply().bulk(b);
        }
    }

    private static void collect(RedisHash h, int pos, ScanArgs a, long now, List<byte[]> out) {
        long t = h.expireAt(pos);
        if (t != RedisHash.NO_TTL && t < now) {
            return;
        }
        byte[] f = h.fieldAt(pos);
        if (!a.matches(f)) {
            return;
        }
        out.add(f);
        if (!a.noValues) {
            out.add(h.valueAt(pos));
        }
    }
}
