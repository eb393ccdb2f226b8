package dev.trellis.server.commands.blocking;

import dev.trellis.server.Server;
import dev.trellis.server.blocking.Blocking;
import dev.trellis.server.blocking.Timeouts;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.commands.list.Args;
import dev.trellis.server.commands.list.ListCommands;
import dev.trellis.server.types.list.RedisList;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP: the list commands' pop and move paths when a list
 * has elements; otherwise the client blocks and the command runs again once a list is pushed.
 * Served pops are propagated as their non-blocking forms.
 */
public final class BlockingListCommands implements CommandGroup {
    private static final byte[] LPOP = ascii("LPOP");
    private static final byte[] RPOP = ascii("RPOP");
    private static final byte[] LMOVE = ascii("LMOVE");
    private static final byte[] RPOPLPUSH = ascii("RPOPLPUSH");

    @Override
    public void register(Server server, CommandTable t) {
        t.bind("blpop", c -> blockingPop(c, true));
        t.bind("brpop", c -> blockingPop(c, false));
        t.bind("blmove", BlockingListCommands::blmove);
        t.bind("brpoplpush", c -> blockingMove(c, false, true, Timeouts.secondsArgument(c, 3), false));
        t.bind("blmpop", BlockingListCommands::blmpop);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** BLPOP/BRPOP key [key ...] timeout. */
    static void blockingPop(Client c, boolean head) {
        long deadline = Timeouts.secondsArgument(c, c.argc - 1);
        for (int i = 1; i < c.argc - 1; i++) {
            byte[] key = c.arg(i);
            RedisList l = ListCommands.lookup(c.db(), key);
            if (l == null || l.isEmpty()) {
                continue;
            }
            c.reply().array(2);
            c.reply().bulk(key);
            ListCommands.popOneAndReply(c, key, l, head);
            c.propagateArgv = new byte[][] {head ? LPOP : RPOP, key};
            return;
        }
        if (Blocking.denied(c)) {
            c.reply().nullArray();
            return;
        }
        c.server().blocking().blockForKeys(c, keys(c, 1, c.argc - 1), "list", deadline, false);
    }

    /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout. */
    static void blmove(Client c) {
        boolean fromHead = ListCommands.parseSide(c, 3);
        boolean toHead = ListCommands.parseSide(c, 4);
        blockingMove(c, fromHead, toHead, Timeouts.secondsArgument(c, 5), true);
    }

    private static void blockingMove(Client c, boolean fromHead, boolean toHead, long deadline, boolean lmove) {
        byte[] src = c.arg(1);
        RedisList from = ListCommands.lookup(c.db(), src);
        if (from == null || from.isEmpty()) {
            if (Blocking.denied(c)) {
                c.reply().nullBulk();
            } else {
                c.server().blocking().blockForKeys(c, List.of(src), "list", deadline, false);
            }
            return;
        }
        ListCommands.moveAndReply(c, src, c.arg(2), fromHead, toHead);
        c.propagateArgv = lmove
                ? new byte[][] {LMOVE, src, c.arg(2), side(fromHead), side(toHead)}
                : new byte[][] {RPOPLPUSH, src, c.arg(2)};
    }

    private static byte[] side(boolean head) {
        return ascii(head ? "LEFT" : "RIGHT");
    }

    /** BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]. */
    static void blmpop(Client c) {
        long numkeys = Args.range(c, 2, 1, Long.MAX_VALUE, "ERR numkeys should be greater than 0");
        long whereIdx = 3 + numkeys;
        if (whereIdx >= c.argc) {
            throw CommandError.SYNTAX;
        }
        boolean head = ListCommands.parseSide(c, (int) whereIdx);
        long count = -1;
        for (int j = (int) whereIdx + 1; j < c.argc; j++) {
            if (count == -1 && c.argIs(j, "count") && j < c.argc - 1) {
                count = Args.range(c, ++j, 1, Long.MAX_VALUE, "ERR count should be greater than 0");
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (count == -1) {
            count = 1;
        }
        long deadline = Timeouts.secondsArgument(c, 1);
        for (int k = 3; k < whereIdx; k++) {
            RedisList l = ListCommands.lookup(c.db(), c.arg(k));
            if (l == null || l.isEmpty()) {
                continue;
            }
            ListCommands.popRangeWithKeyAndReply(c, c.arg(k), l, head, count);
            return;
        }
        if (Blocking.denied(c)) {
            c.reply().nullArray();
            return;
        }
        c.server().blocking().blockForKeys(c, keys(c, 3, (int) whereIdx), "list", deadline, false);
    }

    static List<byte[]> keys(Client c, int from, int to) {
        List<byte[]> keys = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            keys.add(c.arg(i));
        }
        return keys;
    }
}
