package dev.trellis.server.commands.zset;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.types.zset.Strtod;
import dev.trellis.server.types.zset.ZSet;
import dev.trellis.server.types.zset.ZSetLimits;

/** ZADD and ZINCRBY (which is ZADD with INCR), with Redis's option parsing and checks. GEOADD ends here too. */
public final class ZAddCommand {
    static final CommandError NAN_SCORE = CommandError.of("ERR resulting score is not a number (NaN)");
    private static final CommandError XX_NX = CommandError.of("ERR XX and NX options at the same time are not compatible");
    private static final CommandError GT_LT_NX =
            CommandError.of("ERR GT, LT, and/or NX options at the same time are not compatible");
    private static final CommandError INCR_PAIRS = CommandError.of("ERR INCR option supports a single increment-element pair");

    private ZAddCommand() {
    }

    /** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...], from c.argv. */
    public static void zadd(Client c) {
        execute(c, 0);
    }

    static void zincrby(Client c) {
        execute(c, ZSet.INCR);
    }

    private static void execute(Client c, int flags) {
        int at = 2;
        boolean ch = false;
        for (; at < c.argc; at++) {
            if (c.argIs(at, "nx")) {
                flags |= ZSet.NX;
            } else if (c.argIs(at, "xx")) {
                flags |= ZSet.XX;
            } else if (c.argIs(at, "ch")) {
                ch = true;
            } else if (c.argIs(at, "incr")) {
                flags |= ZSet.INCR;
            } else if (c.argIs(at, "gt")) {
                flags |= ZSet.GT;
            } else if (c.argIs(at, "lt")) {
                flags |= ZSet.LT;
            } else {
                break;
            }
        }
        boolean incr = (flags & ZSet.INCR) != 0;
        boolean nx = (flags & ZSet.NX) != 0;
        boolean xx = (flags & ZSet.XX) != 0;
        boolean gt = (flags & ZSet.GT) != 0;
        boolean lt = (flags & ZSet.LT) != 0;
        int elements = c.argc - at;
        if (elements % 2 != 0 || elements == 0) {
            throw CommandError.SYNTAX;
        }
        elements /= 2;
        if (nx && xx) {
            throw XX_NX;
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw GT_LT_NX;
        }
        if (incr && elements > 1) {
            throw INCR_PAIRS;
        }
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) {
            scores[j] = Strtod.parseStrict(c.arg(at + j * 2));
            if (Double.isNaN(scores[j])) {
                throw CommandError.NOT_FLOAT;
            }
        }
        Database db = c.db();
        byte[] key = c.arg(1);
        ZSet z = ZSetKeys.write(c, key);
        ZSetLimits limits = ZSetKeys.limits(c);
        if (z == null) {
            if (xx) {
                reply(c, incr, false, 0, 0);
                return;
            }
            // As Redis 7.0: the encoding follows the first member; later adds convert as needed.
            z = ZSet.create(1, c.arg(at + 1).length, limits);
            db.add(key, z);
        }
        int added = 0;
        int updated = 0;
        boolean processed = false;
        double[] newScore = new double[1];
        try {
            for (int j = 0; j < elements; j++) {
                int r = z.add(c.arg(at + 1 + j * 2), scores[j], flags, limits, newScore);
                if (r == ZSet.NAN) {
                    throw NAN_SCORE;
                }
                if ((r & ZSet.ADDED) != 0) {
                    added++;
                }
                if ((r & ZSet.UPDATED) != 0) {
                    updated++;
                }
                if ((r & ZSet.NOP) == 0) {
                    processed = true;
                }
            }
            c.server().stats().dirty += added + updated;
            reply(c, incr, processed, newScore[0], ch ? added + updated : added);
        } finally {
            if (added > 0 || updated > 0) {
                c.server().keyspace().signalModified(db, key);
                ZSetKeys.notify(c, incr ? "zincr" : "zadd", key);
            }
        }
    }

    private static void reply(Client c, boolean incr, boolean processed, double score, long count) {
        if (incr) {
            if (processed) {
                c.reply().doubleValue(score);
            } else {
                c.reply().nullBulk();
            }
        } else {
            c.reply().integer(count);
        }
    }
}
