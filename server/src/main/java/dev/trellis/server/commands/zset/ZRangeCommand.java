package dev.trellis.server.commands.zset;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.zset.EntryVisitor;
import dev.trellis.server.types.zset.LexRange;
import dev.trellis.server.types.zset.ScoreRange;
import dev.trellis.server.types.zset.ZSet;
import dev.trellis.server.types.zset.ZSetLimits;

/**
 * ZRANGE in all its forms (by rank, BYSCORE, BYLEX, REV, LIMIT, WITHSCORES), ZRANGESTORE, and
 * the older ZREVRANGE, Z[REV]RANGEBYSCORE and Z[REV]RANGEBYLEX, which are ZRANGE with the type
 * and direction fixed.
 */
final class ZRangeCommand {
    enum By { AUTO, RANK, SCORE, LEX }

    enum Direction { AUTO, FORWARD, REVERSE }

    private static final CommandError LIMIT_NEEDS_BY =
            CommandError.of("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
    private static final CommandError WITHSCORES_BYLEX =
            CommandError.of("ERR syntax error, WITHSCORES not supported in combination with BYLEX");

    private ZRangeCommand() {
    }

    static void zrange(Client c) {
        execute(c, 1, false, By.AUTO, Direction.AUTO);
    }

    static void zrangestore(Client c) {
        execute(c, 2, true, By.AUTO, Direction.AUTO);
    }

    static void zrevrange(Client c) {
        execute(c, 1, false, By.RANK, Direction.REVERSE);
    }

    static void zrangebyscore(Client c) {
        execute(c, 1, false, By.SCORE, Direction.FORWARD);
    }

    static void zrevrangebyscore(Client c) {
        execute(c, 1, false, By.SCORE, Direction.REVERSE);
    }

    static void zrangebylex(Client c) {
        execute(c, 1, false, By.LEX, Direction.FORWARD);
    }

    static void zrevrangebylex(Client c) {
        execute(c, 1, false, By.LEX, Direction.REVERSE);
    }

    private static void execute(Client c, int keyIdx, boolean store, By by, Direction dir) {
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        for (int j = keyIdx + 3; j < c.argc; j++) {
            int left = c.argc - j - 1;
            if (!store && c.argIs(j, "withscores")) {
                withScores = true;
            } else if (c.argIs(j, "limit") && left >= 2) {
                offset = c.argLong(j + 1);
                limit = c.argLong(j + 2);
                j += 2;
            } else if (dir == Direction.AUTO && c.argIs(j, "rev")) {
                dir = Direction.REVERSE;
            } else if (by == By.AUTO && c.argIs(j, "bylex")) {
                by = By.LEX;
            } else if (by == By.AUTO && c.argIs(j, "byscore")) {
                by = By.SCORE;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        boolean reverse = dir == Direction.REVERSE;
        if (by == By.AUTO) {
            by = By.RANK;
        }
        if (limit != -1 && by == By.RANK) {
            throw LIMIT_NEEDS_BY;
        }
        if (withScores && by == By.LEX) {
            throw WITHSCORES_BYLEX;
        }
        int minIdx = keyIdx + 1;
        int maxIdx = keyIdx + 2;
        if (reverse && by != By.RANK) {
            minIdx = keyIdx + 2;
            maxIdx = keyIdx + 1;
        }
        long start = 0;
        long end = 0;
        ScoreRange scores = null;
        LexRange lex = null;
        switch (by) {
            case RANK -> {
                start = c.argLong(minIdx);
                end = c.argLong(maxIdx);
            }
            case SCORE -> {
                scores = ScoreRange.parse(c.arg(minIdx), c.arg(maxIdx));
                if (scores == null) {
                    throw ZReadCommands.NOT_FLOAT_RANGE;
                }
            }
            default -> {
                lex = LexRange.parse(c.arg(minIdx), c.arg(maxIdx));
                if (lex == null) {
                    throw ZReadCommands.NOT_LEX_RANGE;
                }
            }
        }
        ZSet z = ZSetKeys.read(c, c.arg(keyIdx));
        if (z == null) {
            if (store) {
                ZSetKeys.store(c, c.arg(1), new ZSet(), "zrangestore");
            } else {
                c.reply().emptyArray();
            }
            return;
        }
        if (by == By.RANK) {
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
                end = start - 1; // empty
            } else if (end >= len) {
                end = len - 1;
            }
            long n = Math.max(0, end - start + 1);
            if (store) {
                ZSetLimits limits = ZSetKeys.limits(c);
                ZSet dst = ZSet.create(n, 0, limits);
                z.range(start, end, reverse, (m, s) -> dst.add(m, s, limits));
                ZSetKeys.store(c, c.arg(1), dst, "zrangestore");
            } else {
                Reply r = c.reply();
                boolean ws = withScores;
                ZEntries.header(r, n, ws);
                z.range(start, end, reverse, (m, s) -> ZEntries.entry(r, m, s, ws));
            }
            return;
        }
        if (store) {
            ZSetLimits limits = ZSetKeys.limits(c);
            ZSet dst = ZSet.create(0, 0, limits);
            EntryVisitor into = (m, s) -> dst.add(m, s, limits);
            if (by == By.SCORE) {
                z.rangeByScore(scores, reverse, offset, limit, into);
            } else {
                z.rangeByLex(lex, reverse, offset, limit, into);
            }
            ZSetKeys.store(c, c.arg(1), dst, "zrangestore");
            return;
        }
        ZEntries out = new ZEntries();
        if (by == By.SCORE) {
            z.rangeByScore(scores, reverse, offset, limit, out);
        } else {
            z.rangeByLex(lex, reverse, offset, limit, out);
        }
        out.reply(c.reply(), withScores);
    }
}
