package dev.trellis.server.commands.zset;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.zset.Strtod;
import dev.trellis.server.types.zset.ZSet;
import dev.trellis.server.types.zset.ZSetLimits;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * ZUNION, ZINTER, ZDIFF, their STORE forms, and ZINTERCARD. Inputs may be sorted sets or sets
 * (score 1); scores are weighted, then combined with SUM (NaN from inf + -inf becomes 0), MIN
 * or MAX, in the order Redis combines them (inputs sorted by size, smallest first).
 */
final class ZSetOpCommand {
    enum Op { UNION, INTER, DIFF }

    private static final int SUM = 0;
    private static final int MIN = 1;
    private static final int MAX = 2;

    private ZSetOpCommand() {
    }

    static void execute(Client c, byte[] dst, int numkeysIdx, Op op, boolean cardinalityOnly) {
        long setnum = c.argLong(numkeysIdx);
        if (setnum < 1) {
            throw CommandError.of("ERR at least 1 input key is needed for '" + c.commandName() + "' command");
        }
        if (setnum > c.argc - (numkeysIdx + 1)) {
            throw CommandError.SYNTAX;
        }
        int n = (int) setnum;
        SetOpSource[] src = new SetOpSource[n];
        int j = numkeysIdx + 1;
        for (int i = 0; i < n; i++, j++) {
            src[i] = SetOpSource.of(ZSetKeys.readAny(c, c.arg(j)));
        }
        int aggregate = SUM;
        boolean withScores = false;
        long limit = 0;
        int remaining = c.argc - j;
        while (remaining > 0) {
            if (op != Op.DIFF && !cardinalityOnly && remaining >= n + 1 && c.argIs(j, "weights")) {
                j++;
                remaining--;
                for (int i = 0; i < n; i++, j++, remaining--) {
                    double w = Strtod.parseStrict(c.arg(j));
                    if (Double.isNaN(w)) {
                        throw CommandError.of("ERR weight value is not a float");
                    }
                    src[i].weight = w;
                }
            } else if (op != Op.DIFF && !cardinalityOnly && remaining >= 2 && c.argIs(j, "aggregate")) {
                j++;
                if (c.argIs(j, "sum")) {
                    aggregate = SUM;
                } else if (c.argIs(j, "min")) {
                    aggregate = MIN;
                } else if (c.argIs(j, "max")) {
                    aggregate = MAX;
                } else {
                    throw CommandError.SYNTAX;
                }
                j++;
                remaining -= 2;
            } else if (remaining >= 1 && dst == null && !cardinalityOnly && c.argIs(j, "withscores")) {
                j++;
                remaining--;
                withScores = true;
            } else if (cardinalityOnly && remaining >= 2 && c.argIs(j, "limit")) {
                limit = Args.positiveLong(c, j + 1, "LIMIT can't be negative");
                j += 2;
                remaining -= 2;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (op != Op.DIFF) {
            Arrays.sort(src, Comparator.comparingLong(SetOpSource::size)); // stable, as Redis's merge sort
        }
        if (cardinalityOnly) {
            c.reply().integer(interCard(src, limit));
            return;
        }
        ZSet result = switch (op) {
            case INTER -> inter(src, aggregate);
            case UNION -> union(src, aggregate);
            case DIFF -> diff(src);
        };
        if (dst != null) {
            ZSetLimits limits = ZSetKeys.limits(c);
            result.convertToListpackIfFits(limits);
            ZSetKeys.store(c, dst, result,
                    op == Op.UNION ? "zunionstore" : op == Op.INTER ? "zinterstore" : "zdiffstore");
            return;
        }
        Reply r = c.reply();
        ZEntries.header(r, result.size(), withScores);
        boolean ws = withScores;
        result.forEach((m, s) -> ZEntries.entry(r, m, s, ws));
    }

    private static double combine(double target, double v, int aggregate) {
        switch (aggregate) {
            case SUM -> {
                double s = target + v;
                return Double.isNaN(s) ? 0.0 : s;
            }
            case MIN -> {
                return v < target ? v : target;
            }
            default -> {
                return v > target ? v : target;
            }
        }
    }

    private static ZSet inter(SetOpSource[] src, int aggregate) {
        ZSet out = ZSet.skiplist();
        if (src[0].size() == 0) {
            return out;
        }
        src[0].forEach((m, s0) -> {
            double score = src[0].weight * s0;
            if (Double.isNaN(score)) {
                score = 0;
            }
            for (int i = 1; i < src.length; i++) {
                double v;
                if (src[i].value == src[0].value) {
                    v = s0 * src[i].weight;
                } else {
                    v = src[i].score(m);
                    if (Double.isNaN(v)) {
                        return;
                    }
                    v *= src[i].weight;
                }
                score = combine(score, v, aggregate);
            }
            out.add(m, score, ZSetLimits.DEFAULT);
        });
        return out;
    }

    private static long interCard(SetOpSource[] src, long limit) {
        long[] count = {0};
        if (src[0].size() == 0) {
            return 0;
        }
        src[0].forEach((m, s0) -> {
            if (limit > 0 && count[0] >= limit) {
                return;
            }
            for (int i = 1; i < src.length; i++) {
                if (src[i].value != src[0].value && Double.isNaN(src[i].score(m))) {
                    return;
                }
            }
            count[0]++;
        });
        return count[0];
    }

    private static ZSet union(SetOpSource[] src, int aggregate) {
        Map<ByteKey, double[]> acc = new HashMap<>();
        for (SetOpSource s : src) {
            s.forEach((m, sc) -> {
                double score = s.weight * sc;
                if (Double.isNaN(score)) {
                    score = 0;
                }
                double[] cur = acc.putIfAbsent(new ByteKey(m), new double[] {score});
                if (cur != null) {
                    cur[0] = combine(cur[0], score, aggregate);
                }
            });
        }
        ZSet out = ZSet.skiplist();
        for (Map.Entry<ByteKey, double[]> e : acc.entrySet()) {
            out.add(e.getKey().bytes(), e.getValue()[0], ZSetLimits.DEFAULT);
        }
        return out;
    }

    private static ZSet diff(SetOpSource[] src) {
        ZSet out = ZSet.skiplist();
        src[0].forEach((m, s0) -> {
            for (int i = 1; i < src.length; i++) {
                if (src[i].value == src[0].value || !Double.isNaN(src[i].score(m))) {
                    return;
                }
            }
            out.add(m, s0, ZSetLimits.DEFAULT);
        });
        return out;
    }
}
