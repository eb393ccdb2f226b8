package dev.trellis.server.commands.stream;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.types.stream.RedisStream;
import dev.trellis.server.types.stream.StreamId;
import dev.trellis.server.types.stream.StreamIdParser;

/**
 * The options XADD and XTRIM share (streamParseAddOrTrimArgsOrReply): MAXLEN/MINID with "~"
 * or "=", LIMIT, and for XADD NOMKSTREAM and the ID, parsed with Redis's checks and errors
 * in Redis's order.
 */
final class TrimArgs {
    enum Strategy { NONE, MAXLEN, MINID }

    Strategy strategy = Strategy.NONE;
    /** Argument index of the MAXLEN count / MINID id (rewritten for propagation). */
    int strategyArgIdx;
    boolean approx;
    long limit;
    long maxLen;
    StreamId minId;
    boolean noMkStream;
    /** XADD's explicit ID (null for "*"), and whether its sequence was given. */
    StreamId id;
    boolean seqGiven = true;
    /** XADD: index of the ID argument. */
    int idPos;

    private static final CommandError BOTH =
            CommandError.of("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");

    static TrimArgs parse(Client c, boolean xadd, long nodeMaxEntries) {
        TrimArgs a = new TrimArgs();
        int i = 2;
        boolean limitGiven = false;
        for (; i < c.argc; i++) {
            int moreArgs = c.argc - 1 - i;
            byte[] opt = c.arg(i);
            if (xadd && opt.length == 1 && opt[0] == '*') {
                break;
            } else if (c.argIs(i, "maxlen") && moreArgs > 0) {
                if (a.strategy != Strategy.NONE) {
                    throw BOTH;
                }
                a.approx = false;
                i = skipApprox(c, a, i, moreArgs);
                a.maxLen = c.argLong(i + 1);
                if (a.maxLen < 0) {
                    throw CommandError.of("ERR The MAXLEN argument must be >= 0.");
                }
                i++;
                a.strategy = Strategy.MAXLEN;
                a.strategyArgIdx = i;
            } else if (c.argIs(i, "minid") && moreArgs > 0) {
                if (a.strategy != Strategy.NONE) {
                    throw BOTH;
                }
                a.approx = false;
                i = skipApprox(c, a, i, moreArgs);
                a.minId = StreamKeys.strictId(c, i + 1);
                i++;
                a.strategy = Strategy.MINID;
                a.strategyArgIdx = i;
            } else if (c.argIs(i, "limit") && moreArgs > 0) {
                a.limit = c.argLong(i + 1);
                if (a.limit < 0) {
                    throw CommandError.of("ERR The LIMIT argument must be >= 0.");
                }
                limitGiven = true;
                i++;
            } else if (xadd && c.argIs(i, "nomkstream")) {
                a.noMkStream = true;
            } else if (xadd) {
                StreamIdParser.AddId id = StreamIdParser.parseAddId(c.arg(i));
                if (id == null) {
                    throw StreamKeys.INVALID_ID;
                }
                a.id = id.id();
                a.seqGiven = id.seqGiven();
                break;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        a.idPos = i;
        if (a.limit != 0 && a.strategy == Strategy.NONE) {
            throw CommandError.of("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        }
        if (!xadd && a.strategy == Strategy.NONE) {
            throw CommandError.of("ERR syntax error, XTRIM must be called with a trimming strategy");
        }
        if (StreamKeys.mustObey(c)) {
            a.limit = 0;
        } else if (limitGiven) {
            if (!a.approx) {
                throw CommandError.of("ERR syntax error, LIMIT cannot be used without the special ~ option");
            }
        } else if (a.approx) {
            long l = 100 * nodeMaxEntries;
            if (l <= 0) {
                l = 10000;
            }
            if (l > 1000000) {
                l = 1000000;
            }
            a.limit = l;
        } else {
            a.limit = 0;
        }
        return a;
    }

    /** Consumes a "~" or "=" after MAXLEN/MINID when another argument follows it. */
    private static int skipApprox(Client c, TrimArgs a, int i, int moreArgs) {
        byte[] next = c.arg(i + 1);
        if (moreArgs >= 2 && next.length == 1 && next[0] == '~') {
            a.approx = true;
            return i + 1;
        } else if (moreArgs >= 2 && next.length == 1 && next[0] == '=') {
            return i + 1;
        }
        return i;
    }

    /** Applies the trim; returns entries removed. */
    long trim(RedisStream s) {
        return switch (strategy) {
            case NONE -> 0;
            case MAXLEN -> s.trimByLength(maxLen, approx, limit);
            case MINID -> s.trimById(minId, approx, limit);
        };
    }

    /**
     * For propagation after an approximate trim: "~" becomes "=" and the count/ID the stream's
     * resulting length or first ID, so replicas and the AOF trim exactly the same.
     */
    void rewriteApprox(byte[][] argv, RedisStream s) {
        argv[strategyArgIdx - 1] = EQUALS;
        argv[strategyArgIdx] = strategy == Strategy.MAXLEN
                ? Long.toString(s.length()).getBytes(java.nio.charset.StandardCharsets.US_ASCII)
                : s.edgeId(true, false).toBytes();
    }

    private static final byte[] EQUALS = {'='};
}
