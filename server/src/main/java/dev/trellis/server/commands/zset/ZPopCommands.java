package dev.trellis.server.commands.zset;

import dev.trellis.server.client.Client;
import dev.trellis.server.client.Numbers;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.zset.ZSet;
import java.nio.charset.StandardCharsets;

/**
 * ZPOPMIN, ZPOPMAX and ZMPOP. The pop-and-reply paths are public so the blocking variants
 * (BZPOPMIN, BZPOPMAX, BZMPOP) can serve a client the same way once a key is ready.
 */
public final class ZPopCommands {
    /** How the write is propagated (AOF, replicas). */
    public enum Propagation {
        /** The command as the client sent it. */
        AS_IS,
        /** As "ZPOPMIN|ZPOPMAX key". */
        POP,
        /** As "ZPOPMIN|ZPOPMAX key count". */
        POP_COUNT
    }

    private static final byte[] ZPOPMIN = "ZPOPMIN".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ZPOPMAX = "ZPOPMAX".getBytes(StandardCharsets.US_ASCII);

    private ZPopCommands() {
    }

    static void zpopmin(Client c) {
        zpop(c, false);
    }

    static void zpopmax(Client c) {
        zpop(c, true);
    }

    private static void zpop(Client c, boolean max) {
        if (c.argc > 3) {
            throw CommandError.SYNTAX;
        }
        long count = -1;
        if (c.argc == 3) {
            count = Args.positiveLong(c, 2, null);
        }
        boolean nested = c.reply().resp3() && count != -1;
        pop(c, new byte[][] {c.arg(1)}, max, count, false, nested, false, Propagation.AS_IS);
    }

    /** ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]. */
    static void zmpop(Client c) {
        MpopArgs a = MpopArgs.parse(c, 1);
        pop(c, a.keys, a.max, a.count, true, true, true, Propagation.POP_COUNT);
    }

    /** Parsed arguments of ZMPOP and BZMPOP. */
    public record MpopArgs(byte[][] keys, boolean max, long count) {
        /** Parses from the numkeys argument at {@code numkeysIdx}. */
        public static MpopArgs parse(Client c, int numkeysIdx) {
            long numkeys = Args.rangeLong(c, numkeysIdx, 1, Long.MAX_VALUE, "numkeys should be greater than 0");
            long whereIdx = numkeysIdx + numkeys + 1;
            if (whereIdx >= c.argc) {
                throw CommandError.SYNTAX;
            }
            int w = (int) whereIdx;
            boolean max;
            if (c.argIs(w, "min")) {
                max = false;
            } else if (c.argIs(w, "max")) {
                max = true;
            } else {
                throw CommandError.SYNTAX;
            }
            long count = -1;
            for (int j = w + 1; j < c.argc; j++) {
                boolean more = j < c.argc - 1;
                if (count == -1 && c.argIs(j, "count") && more) {
                    j++;
                    count = Args.rangeLong(c, j, 1, Long.MAX_VALUE, "count should be greater than 0");
                } else {
                    throw CommandError.SYNTAX;
                }
            }
            byte[][] keys = new byte[(int) numkeys][];
            for (int i = 0; i < numkeys; i++) {
                keys[i] = c.arg(numkeysIdx + 1 + i);
            }
            return new MpopArgs(keys, max, count == -1 ? 1 : count);
        }
    }

    /**
     * Redis's genericZpopCommand: pops from the first non-empty sorted set among {@code keys}
     * (WRONGTYPE stops at the first key of another type) and replies.
     *
     * @param count      elements to pop, or -1 for a single pop with the flat reply
     * @param emitKey    reply with the key name first (BZPOP*, ZMPOP)
     * @param nested     member/score pairs as nested arrays
     * @param nilIfEmpty reply null rather than an empty array when no key has elements
     */
    public static void pop(Client c, byte[][] keys, boolean max, long count, boolean emitKey, boolean nested,
            boolean nilIfEmpty, Propagation propagation) {
        byte[] key = null;
        ZSet z = null;
        for (byte[] k : keys) {
            z = ZSetKeys.write(c, k);
            if (z != null) {
                key = k;
                break;
            }
        }
        if (z == null) {
            if (nilIfEmpty) {
                c.reply().nullArray();
            } else {
                c.reply().emptyArray();
            }
            return;
        }
        popFrom(c, key, z, max, count, emitKey, nested, propagation);
    }

    /** Pops from a sorted set known to exist at {@code key} and replies (see {@link #pop}). */
    public static void popFrom(Client c, byte[] key, ZSet z, boolean max, long count, boolean emitKey, boolean nested,
            Propagation propagation) {
        Reply r = c.reply();
        if (count == 0) {
            r.emptyArray();
            return;
        }
        boolean single = count == -1;
        if (single) {
            count = 1;
        }
        long len = z.size();
        long n = Math.min(count, len);
        if (!nested && !emitKey) {
            r.array(n * 2);
        } else if (nested && !emitKey) {
            r.array(n);
        } else if (!nested) {
            r.array(n * 2 + 1);
            r.bulk(key);
        } else {
            r.array(2);
            r.bulk(key);
            r.array(n);
        }
        z.pop(max, n, (m, s) -> {
            if (nested) {
                r.array(2);
            }
            r.bulk(m);
            r.doubleValue(s);
        });
        c.server().stats().dirty += n;
        ZSetKeys.afterRemoval(c, key, z, max ? "zpopmax" : "zpopmin");
        switch (propagation) {
            case POP -> c.propagateArgv = new byte[][] {max ? ZPOPMAX : ZPOPMIN, key};
            case POP_COUNT -> c.propagateArgv = new byte[][] {max ? ZPOPMAX : ZPOPMIN, key, Numbers.toBytes(n)};
            default -> {
            }
        }
    }
}
