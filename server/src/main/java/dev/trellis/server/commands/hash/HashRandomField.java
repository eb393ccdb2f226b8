package dev.trellis.server.commands.hash;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.commands.list.Args;
import dev.trellis.server.commands.list.ReplyLimit;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.hash.RedisHash;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HRANDFIELD key [count [WITHVALUES]]: a negative count may repeat fields, a positive one
 * returns distinct fields (the whole hash when count >= size). Expired fields are removed
 * first, as Redis does.
 */
final class HashRandomField {
    private HashRandomField() {
    }

    static void execute(Client c, HashExpiry expiry) {
        byte[] key = c.arg(1);
        if (c.argc >= 3) {
            long l = Args.signed(c, 2);
            boolean withValues = false;
            if (c.argc > 4 || (c.argc == 4 && !c.argIs(3, "withvalues"))) {
                throw CommandError.SYNTAX;
            } else if (c.argc == 4) {
                withValues = true;
                if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
                    throw CommandError.of("ERR value is out of range");
                }
            }
            withCount(c, expiry, key, l, withValues);
            return;
        }
        RedisHash h = HashCommands.lookupRead(c, key);
        if (h == null || expiry.expireAll(c, key, h)) {
            c.reply().nullBulk();
            return;
        }
        h.replyFieldAt(c.reply(), h.randomPosition(ThreadLocalRandom.current()));
    }

    private static void withCount(Client c, HashExpiry expiry, byte[] key, long l, boolean withValues) {
        RedisHash h = HashCommands.lookupRead(c, key);
        if (h == null) {
            c.reply().emptyArray();
            return;
        }
        long count = Math.abs(l);
        boolean unique = l >= 0;
        if (expiry.expireAll(c, key, h) || count == 0) {
            c.reply().emptyArray();
            return;
        }
        Reply r = c.reply();
        boolean resp3 = r.protocol() >= 3;
        long size = h.size();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (!unique || count == 1) {
            r.array(withValues && !resp3 ? count * 2 : count);
            for (long i = 0; i < count; i++) {
                reply(r, h, h.randomPosition(rnd), withValues, resp3);
                if ((i & 1023) == 1023 && ReplyLimit.exceeded(c)) {
                    break;
                }
            }
            return;
        }
        long n = Math.min(count, size);
        r.array(withValues && !resp3 ? n * 2 : n);
        if (count >= size) {
            for (RedisHash.Cursor cur = h.cursor(); cur.next(); ) {
                reply(r, h, cur.position(), withValues, resp3);
            }
            return;
        }
        if (count * 3 > size) {
            // take all positions, drop random ones until count remain
            int[] all = new int[(int) size];
            int k = 0;
            for (RedisHash.Cursor cur = h.cursor(); cur.next(); ) {
                all[k++] = cur.position();
            }
            int left = k;
            while (left > count) {
                int drop = rnd.nextInt(left);
                all[drop] = all[--left];
            }
            for (int i = 0; i < left; i++) {
                reply(r, h, all[i], withValues, resp3);
            }
            return;
        }
        Set<Integer> picked = new HashSet<>();
        while (picked.size() < count) {
            int pos = h.randomPosition(rnd);
            if (picked.add(pos)) {
                reply(r, h, pos, withValues, resp3);
            }
        }
    }

    private static void reply(Reply r, RedisHash h, int pos, boolean withValues, boolean resp3) {
        if (withValues && resp3) {
            r.array(2);
        }
        h.replyFieldAt(r, pos);
        if (withValues) {
            h.replyValueAt(r, pos);
        }
    }
}
