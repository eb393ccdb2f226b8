package dev.trellis.server.commands.zset;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.resp.DoubleFormat;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.zset.ZSet;
import dev.trellis.server.util.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * ZSCAN key cursor [MATCH pattern] [COUNT count]: a listpack set comes back whole with cursor
 * 0; a skiplist set is walked through its member index. Scores are printed as the encoding
 * holds them (integers as integers in a listpack, "%.17g" otherwise), like Redis.
 */
final class ZScanCommand {
    private static final CommandError INVALID_CURSOR = CommandError.of("ERR invalid cursor");

    private ZScanCommand() {
    }

    static void execute(Client c) {
        long cursor = parseCursor(c.arg(2));
        ZSet z = ZSetKeys.read(c, c.arg(1));
        Reply r = c.reply();
        if (z == null) {
            r.array(2);
            r.bulk("0");
            r.emptyArray();
            return;
        }
        long count = 10;
        byte[] pattern = null;
        for (int i = 3; i < c.argc; i += 2) {
            int left = c.argc - i;
            if (c.argIs(i, "count") && left >= 2) {
                count = c.argLong(i + 1);
                if (count < 1) {
                    throw CommandError.SYNTAX;
                }
            } else if (c.argIs(i, "match") && left >= 2) {
                byte[] p = c.arg(i + 1);
                pattern = p.length == 1 && p[0] == '*' ? null : p;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        List<byte[]> out = new ArrayList<>();
        boolean listpack = z.isListpack();
        byte[] pat = pattern;
        long next = z.scan(cursor, count, (m, s) -> {
            if (pat == null || Glob.match(pat, m, false)) {
                out.add(m);
                String score = listpack ? DoubleFormat.d2string(s) : DoubleFormat.g17(s);
                out.add(score.getBytes(StandardCharsets.US_ASCII));
            }
        });
        r.array(2);
        r.bulk(Long.toUnsignedString(next));
        r.array(out.size());
        for (byte[] b : out) {
            r.bulk(b);
        }
    }

    /** Redis's parseScanCursorOrReply: strtoul, no leading space, nothing after, no overflow. */
    static long parseCursor(byte[] b) {
        if (b.length > 0 && (b[0] == ' ' || (b[0] >= '\t' && b[0] <= '\r'))) {
            throw INVALID_CURSOR;
        }
        int i = 0;
        boolean neg = false;
        if (i < b.length && (b[i] == '+' || b[i] == '-')) {
            neg = b[i] == '-';
            i++;
        }
        long v = 0;
        int digits = 0;
        for (; i < b.length; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                throw INVALID_CURSOR;
            }
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L, 10)) > 0) {
                throw INVALID_CURSOR;
            }
            long nv = v * 10 + d;
            if (Long.compareUnsigned(nv, v * 10) < 0) {
                throw INVALID_CURSOR;
            }
            v = nv;
            digits++;
        }
        if (digits == 0 && b.length > 0) {
            throw INVALID_CURSOR;
        }
        return neg ? -v : v;
    }
}
