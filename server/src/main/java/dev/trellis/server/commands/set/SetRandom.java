package dev.trellis.server.commands.set;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.list.Args;
import dev.trellis.server.commands.list.ReplyLimit;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.types.set.RedisSet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SPOP and SRANDMEMBER. SPOP is propagated as SREM of the popped members (in batches of
 * 1024, as Redis does), or as DEL when it takes the whole set, so replicas and the AOF remove
 * exactly what was returned.
 */
final class SetRandom {
    private static final byte[] SREM = "SREM".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DEL = "DEL".getBytes(StandardCharsets.US_ASCII);
    private static final int BATCH = 1024;

    private SetRandom() {
    }

    static void register(CommandTable t) {
        t.bind("spop", SetRandom::spop);
        t.bind("srandmember", SetRandom::srandmember);
    }

    private static void spop(Client c) {
        if (c.argc == 3) {
            spopCount(c);
            return;
        } else if (c.argc > 3) {
            throw CommandError.SYNTAX;
        }
        Database db = c.db();
        byte[] key = c.arg(1);
        RedisSet s = SetCommands.lookup(db, key);
        if (s == null) {
            c.reply().nullBulk();
            return;
        }
        int pos = s.randomPosition(ThreadLocalRandom.current());
        byte[] m = s.memberAt(pos);
        s.removeAt(pos);
        SetCommands.notify(c, "spop", key);
        c.propagateArgv = new byte[][] {SREM, key, m};
        c.reply().bulk(m);
        if (s.isEmpty()) {
            db.delete(key);
            SetCommands.notifyDel(c, key);
        } else {
            c.server().keyspace().signalModified(db, key);
        }
        c.server().stats().dirty++;
    }

    private static void spopCount(Client c) {
        long count = Args.positive(c, 2, null);
        Database db = c.db();
        byte[] key = c.arg(1);
        RedisSet s = SetCommands.lookup(db, key);
        if (s == null || count == 0) {
            c.reply().set(0);
            return;
        }
        long size = s.size();
        SetCommands.notify(c, "spop", key);
        c.server().stats().dirty += Math.min(count, size);
        if (count >= size) {
            SetCommands.replyMembers(c, s);
            db.delete(key);
            SetCommands.notifyDel(c, key);
            c.propagateArgv = new byte[][] {DEL, key};
            return;
        }
        c.reply().set(count);
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        List<byte[]> batch = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            int pos = s.randomPosition(rnd);
            byte[] m = s.memberAt(pos);
            s.removeAt(pos);
            c.reply().bulk(m);
            batch.add(m);
            if (batch.size() == BATCH && i + 1 < count) {
                c.server().propagation().propagate(db.id(), srem(key, batch));
                batch.clear();
            }
        }
        c.propagateArgv = srem(key, batch);
        c.server().keyspace().signalModified(db, key);
    }

    private static byte[][] srem(byte[] key, List<byte[]> members) {
        byte[][] a = new byte[members.size() + 2][];
        a[0] = SREM;
        a[1] = key;
        for (int i = 0; i < members.size(); i++) {
            a[i + 2] = members.get(i);
        }
        return a;
    }

    private static void srandmember(Client c) {
        if (c.argc == 3) {
            srandmemberCount(c);
            return;
        } else if (c.argc > 3) {
            throw CommandError.SYNTAX;
        }
        RedisSet s = SetCommands.lookupRead(c, c.arg(1));
        if (s == null) {
            c.reply().nullBulk();
            return;
        }
        s.replyMemberAt(c.reply(), s.randomPosition(ThreadLocalRandom.current()));
    }

    private static void srandmemberCount(Client c) {
        long l = Args.signed(c, 2);
        RedisSet s = SetCommands.lookupRead(c, c.arg(1));
        if (s == null) {
            c.reply().emptyArray();
            return;
        }
        long count = Math.abs(l);
        if (count == 0) {
            c.reply().emptyArray();
            return;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        long size = s.size();
        if (l < 0 || count == 1) {
            c.reply().array(count);
            for (long i = 0; i < count; i++) {
                s.replyMemberAt(c.reply(), s.randomPosition(rnd));
                if ((i & 1023) == 1023 && ReplyLimit.exceeded(c)) {
                    break;
                }
            }
            return;
        }
        if (count >= size) {
            c.reply().array(size);
            for (RedisSet.Cursor cur = s.cursor(); cur.next(); ) {
                cur.reply(c.reply());
            }
            return;
        }
        c.reply().array(count);
        if (count * 3 > size) {
            int[] all = new int[(int) size];
            int k = 0;
            for (RedisSet.Cursor cur = s.cursor(); cur.next(); ) {
                all[k++] = cur.position();
            }
            int left = k;
            while (left > count) {
                int drop = rnd.nextInt(left);
                all[drop] = all[--left];
            }
            for (int i = 0; i < left; i++) {
                s.replyMemberAt(c.reply(), all[i]);
            }
            return;
        }
        Set<Integer> picked = new HashSet<>();
        while (picked.size() < count) {
            int pos = s.randomPosition(rnd);
            if (picked.add(pos)) {
                s.replyMemberAt(c.reply(), pos);
            }
        }
    }
}
