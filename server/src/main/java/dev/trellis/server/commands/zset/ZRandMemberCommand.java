package dev.trellis.server.commands.zset;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.zset.ZSet;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * ZRANDMEMBER key [count [WITHSCORES]]: a positive count returns distinct members (the whole
 * set when it is not larger), a negative one may repeat members.
 */
final class ZRandMemberCommand {
    private ZRandMemberCommand() {
    }

    static void execute(Client c) {
        if (c.argc >= 3) {
            long l = Args.rangeLong(c, 2, -Long.MAX_VALUE, Long.MAX_VALUE, null);
            boolean withScores = false;
            if (c.argc > 4 || (c.argc == 4 && !c.argIs(3, "withscores"))) {
                throw CommandError.SYNTAX;
            } else if (c.argc == 4) {
                withScores = true;
                if (l < -Long.MAX_VALUE / 2 || l > Long.MAX_VALUE / 2) {
                    throw CommandError.of("ERR value is out of range");
                }
            }
            withCount(c, l, withScores);
            return;
        }
        ZSet z = ZSetKeys.read(c, c.arg(1));
        if (z == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().bulk(z.memberAt(ThreadLocalRandom.current().nextInt(z.size())));
    }

    private static void withCount(Client c, long l, boolean withScores) {
        ZSet z = ZSetKeys.read(c, c.arg(1));
        Reply r = c.reply();
        if (z == null || l == 0) {
            r.emptyArray();
            return;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int size = z.size();
        if (l < 0 || l == 1) {
            long count = l < 0 ? -l : 1;
            ZEntries.header(r, count, withScores);
            for (long i = 0; i < count; i++) {
                int at = rnd.nextInt(size);
                ZEntries.entry(r, z.memberAt(at), z.scoreAt(at), withScores);
            }
            return;
        }
        if (l >= size) {
            // The whole set, highest score first: Redis's set-operation iterators walk backwards.
            ZEntries.header(r, size, withScores);
            z.range(0, size - 1, true, (m, s) -> ZEntries.entry(r, m, s, withScores));
            return;
        }
        int count = (int) l;
        ZEntries.header(r, count, withScores);
        if ((long) count * 3 > size) {
            // Most of the set: drop random members until count remain.
            BitSet dropped = new BitSet(size);
            for (int left = size; left > count; ) {
                int at = rnd.nextInt(size);
                if (!dropped.get(at)) {
                    dropped.set(at);
                    left--;
                }
            }
            int[] i = {0};
            z.forEach((m, s) -> {
                if (!dropped.get(i[0]++)) {
                    ZEntries.entry(r, m, s, withScores);
                }
            });
            return;
        }
        Set<Integer> picked = new HashSet<>();
        while (picked.size() < count) {
            int at = rnd.nextInt(size);
            if (picked.add(at)) {
                ZEntries.entry(r, z.memberAt(at), z.scoreAt(at), withScores);
            }
        }
    }
}
