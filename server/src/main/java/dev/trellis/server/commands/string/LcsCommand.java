package dev.trellis.server.commands.string;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]: the longest common subsequence
 * by the classic dynamic programming table. The table is walked back from the end as Redis
 * does (preferring to drop a byte of the second string on ties), so the chosen subsequence
 * and the reported match ranges are the same as Redis's.
 */
final class LcsCommand {
    private static final CommandError NOT_STRINGS = CommandError.of("ERR The specified keys must contain string values");
    private static final CommandError LEN_AND_IDX =
            CommandError.of("ERR If you want both the length and indexes, please just use IDX.");
    private static final CommandError TOO_BIG = CommandError.of(
            "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    private static final CommandError NO_MEMORY =
            CommandError.of("ERR Insufficient memory, failed allocating transient memory for LCS");

    private LcsCommand() {
    }

    static void lcs(Client c) {
        Database db = c.db();
        KeyEntry ea = db.lookupRead(c.arg(1));
        KeyEntry eb = db.lookupRead(c.arg(2));
        if ((ea != null && !(ea.value() instanceof byte[])) || (eb != null && !(eb.value() instanceof byte[]))) {
            throw NOT_STRINGS;
        }
        byte[] a = ea == null ? Strings.EMPTY : (byte[]) ea.value();
        byte[] b = eb == null ? Strings.EMPTY : (byte[]) eb.value();
        boolean getLen = false;
        boolean getIdx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int j = 3; j < c.argc; j++) {
            boolean more = j < c.argc - 1;
            if (c.argIs(j, "idx")) {
                getIdx = true;
            } else if (c.argIs(j, "len")) {
                getLen = true;
            } else if (c.argIs(j, "withmatchlen")) {
                withMatchLen = true;
            } else if (c.argIs(j, "minmatchlen") && more) {
                minMatchLen = Math.max(0, c.argLong(++j));
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (getLen && getIdx) {
            throw LEN_AND_IDX;
        }
        int alen = a.length;
        int blen = b.length;
        long cells = (long) (alen + 1) * (blen + 1);
        if (cells * 4 > c.server().config().protoMaxBulkLen) {
            throw TOO_BIG;
        }
        int[] table;
        try {
            if (cells > Integer.MAX_VALUE - 8) {
                throw new OutOfMemoryError();
            }
            table = new int[(int) cells];
        } catch (OutOfMemoryError e) {
            throw NO_MEMORY;
        }
        int w = blen + 1;
        for (int i = 1; i <= alen; i++) {
            int row = i * w;
            int prev = row - w;
            byte ai = a[i - 1];
            for (int j = 1; j <= blen; j++) {
                table[row + j] = ai == b[j - 1]
                        ? table[prev + j - 1] + 1
                        : Math.max(table[prev + j], table[row + j - 1]);
            }
        }
        int length = table[alen * w + blen];
        if (getLen && !getIdx) {
            c.reply().integer(length);
            return;
        }
        byte[] result = new byte[length];
        List<long[]> matches = new ArrayList<>();
        walkBack(a, b, table, w, result, matches, minMatchLen);
        if (!getIdx) {
            c.reply().bulk(result);
            return;
        }
        Reply r = c.reply();
        r.map(2);
        r.bulk("matches");
        r.array(matches.size());
        for (long[] m : matches) {
            r.array(withMatchLen ? 3 : 2);
            r.array(2);
            r.integer(m[0]);
            r.integer(m[1]);
            r.array(2);
            r.integer(m[2]);
            r.integer(m[3]);
            if (withMatchLen) {
                r.integer(m[1] - m[0] + 1);
            }
        }
        r.bulk("len");
        r.integer(length);
    }

    /**
     * Rebuilds the subsequence from the end and collects the contiguous match ranges
     * {aStart, aEnd, bStart, bEnd} of at least {@code minLen} bytes, last range first.
     */
    private static void walkBack(byte[] a, byte[] b, int[] t, int w, byte[] result, List<long[]> matches, long minLen) {
        int i = a.length;
        int j = b.length;
        int idx = result.length;
        boolean inRange = false;
        int aStart = 0;
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        while (i > 0 && j > 0) {
            boolean emit = false;
            if (a[i - 1] == b[j - 1]) {
                result[--idx] = a[i - 1];
                if (!inRange) {
                    inRange = true;
                    aStart = aEnd = i - 1;
                    bStart = bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                i--;
                j--;
            } else {
                if (t[(i - 1) * w + j] > t[i * w + j - 1]) {
                    i--;
                } else {
                    j--;
                }
                if (inRange) {
                    emit = true;
                }
            }
            if (emit) {
                if (minLen == 0 || aEnd - aStart + 1 >= minLen) {
                    matches.add(new long[] {aStart, aEnd, bStart, bEnd});
                }
                inRange = false;
            }
        }
    }
}
