package dev.trellis.server.commands.zset;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.types.zset.LexRange;
import dev.trellis.server.types.zset.ScoreRange;
import dev.trellis.server.types.zset.ZSet;

/** Sorted-set queries: ZCARD, ZSCORE, ZMSCORE, ZRANK, ZREVRANK, ZCOUNT, ZLEXCOUNT. */
final class ZReadCommands {
    static final CommandError NOT_FLOAT_RANGE = CommandError.of("ERR min or max is not a float");
    static final CommandError NOT_LEX_RANGE = CommandError.of("ERR min or max not valid string range item");

    private ZReadCommands() {
    }

    static void zcard(Client c) {
        ZSet z = ZSetKeys.read(c, c.arg(1));
        c.reply().integer(z == null ? 0 : z.size());
    }

    static void zscore(Client c) {
        ZSet z = ZSetKeys.read(c, c.arg(1));
        double s = z == null ? Double.NaN : z.score(c.arg(2));
        if (Double.isNaN(s)) {
            c.reply().nullBulk();
        } else {
            c.reply().doubleValue(s);
        }
    }

    static void zmscore(Client c) {
        ZSet z = ZSetKeys.read(c, c.arg(1));
        c.reply().array(c.argc - 2);
        for (int i = 2; i < c.argc; i++) {
            double s = z == null ? Double.NaN : z.score(c.arg(i));
            if (Double.isNaN(s)) {
                c.reply().nullBulk();
            } else {
                c.reply().doubleValue(s);
            }
        }
    }

    static void zrank(Client c, boolean reverse) {
        boolean withScore = false;
        if (c.argc > 4) {
            throw CommandError.arity(c.commandName());
        }
        if (c.argc == 4) {
            if (!c.argIs(3, "withscore")) {
                throw CommandError.SYNTAX;
            }
            withScore = true;
        }
        ZSet z = ZSetKeys.read(c, c.arg(1));
        long rank = z == null ? -1 : z.rank(c.arg(2), reverse);
        if (rank < 0) {
            if (withScore) {
                c.reply().nullArray();
            } else {
                c.reply().nullBulk();
            }
            return;
        }
        if (withScore) {
            c.reply().array(2);
            c.reply().integer(rank);
            c.reply().doubleValue(z.score(c.arg(2)));
        } else {
            c.reply().integer(rank);
        }
    }

    static void zcount(Client c) {
        ScoreRange r = ScoreRange.parse(c.arg(2), c.arg(3));
        if (r == null) {
            throw NOT_FLOAT_RANGE;
        }
        ZSet z = ZSetKeys.read(c, c.arg(1));
        c.reply().integer(z == null ? 0 : z.countByScore(r));
    }

    static void zlexcount(Client c) {
        LexRange r = LexRange.parse(c.arg(2), c.arg(3));
        if (r == null) {
            throw NOT_LEX_RANGE;
        }
        ZSet z = ZSetKeys.read(c, c.arg(1));
        c.reply().integer(z == null ? 0 : z.countByLex(r));
    }
}
