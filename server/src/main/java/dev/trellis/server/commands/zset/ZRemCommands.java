package dev.trellis.server.commands.zset;

import dev.trellis.server.client.Client;
import dev.trellis.server.types.zset.LexRange;
import dev.trellis.server.types.zset.ScoreRange;
import dev.trellis.server.types.zset.ZSet;

/** ZREM and ZREMRANGEBYRANK / BYSCORE / BYLEX. */
final class ZRemCommands {
    private ZRemCommands() {
    }

    static void zrem(Client c) {
        byte[] key = c.arg(1);
        ZSet z = ZSetKeys.write(c, key);
        if (z == null) {
            c.reply().integer(0);
            return;
        }
        long deleted = 0;
        for (int i = 2; i < c.argc; i++) {
            if (z.remove(c.arg(i))) {
                deleted++;
            }
            if (z.size() == 0) {
                break;
            }
        }
        if (deleted > 0) {
            ZSetKeys.afterRemoval(c, key, z, "zrem");
            c.server().stats().dirty += deleted;
        }
        c.reply().integer(deleted);
    }

    static void zremrangebyrank(Client c) {
        long start = c.argLong(2);
        long end = c.argLong(3);
        byte[] key = c.arg(1);
        ZSet z = ZSetKeys.write(c, key);
        if (z == null) {
            c.reply().integer(0);
            return;
        }
        long len = z.size();
        if (start < 0) {
            start += len;
        }
        if (end < 0) {
            end += len;
        }
        if (start < 0) {
            start = 0;
        }
        if (start > end || start >= len) {
            c.reply().integer(0);
            return;
        }
        if (end >= len) {
            end = len - 1;
        }
        finish(c, key, z, z.removeRange(start, end), "zremrangebyrank");
    }

    static void zremrangebyscore(Client c) {
        ScoreRange r = ScoreRange.parse(c.arg(2), c.arg(3));
        if (r == null) {
            throw ZReadCommands.NOT_FLOAT_RANGE;
        }
        byte[] key = c.arg(1);
        ZSet z = ZSetKeys.write(c, key);
        if (z == null) {
            c.reply().integer(0);
            return;
        }
        finish(c, key, z, z.removeRangeByScore(r), "zremrangebyscore");
    }

    static void zremrangebylex(Client c) {
        LexRange r = LexRange.parse(c.arg(2), c.arg(3));
        if (r == null) {
            throw ZReadCommands.NOT_LEX_RANGE;
        }
        byte[] key = c.arg(1);
        ZSet z = ZSetKeys.write(c, key);
        if (z == null) {
            c.reply().integer(0);
            return;
        }
        finish(c, key, z, z.removeRangeByLex(r), "zremrangebylex");
    }

    private static void finish(Client c, byte[] key, ZSet z, long deleted, String event) {
        if (deleted > 0) {
            ZSetKeys.afterRemoval(c, key, z, event);
        }
        c.server().stats().dirty += deleted;
        c.reply().integer(deleted);
    }
}
