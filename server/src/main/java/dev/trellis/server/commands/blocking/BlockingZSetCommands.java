package dev.trellis.server.commands.blocking;

import dev.trellis.server.Server;
import dev.trellis.server.blocking.Blocking;
import dev.trellis.server.blocking.Timeouts;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.commands.zset.ZPopCommands;
import dev.trellis.server.commands.zset.ZSetKeys;
import dev.trellis.server.types.zset.ZSet;
import java.util.Arrays;

/**
 * BZPOPMIN, BZPOPMAX, BZMPOP: the sorted-set pop paths when a set has members; otherwise the
 * client blocks until one is added. Served pops are propagated as ZPOPMIN/ZPOPMAX.
 */
public final class BlockingZSetCommands implements CommandGroup {
    @Override
    public void register(Server server, CommandTable t) {
        t.bind("bzpopmin", c -> bzpop(c, false));
        t.bind("bzpopmax", c -> bzpop(c, true));
        t.bind("bzmpop", BlockingZSetCommands::bzmpop);
    }

    /** BZPOPMIN/BZPOPMAX key [key ...] timeout: replies [key, member, score]. */
    static void bzpop(Client c, boolean max) {
        long deadline = Timeouts.secondsArgument(c, c.argc - 1);
        byte[][] keys = Arrays.copyOfRange(c.argv, 1, c.argc - 1);
        serveOrBlock(c, keys, max, -1, false, ZPopCommands.Propagation.POP, deadline);
    }

    /** BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]: replies [key, [[member, score]...]]. */
    static void bzmpop(Client c) {
        ZPopCommands.MpopArgs a = ZPopCommands.MpopArgs.parse(c, 2);
        long deadline = Timeouts.secondsArgument(c, 1);
        serveOrBlock(c, a.keys(), a.max(), a.count(), true, ZPopCommands.Propagation.POP_COUNT, deadline);
    }

    private static void serveOrBlock(Client c, byte[][] keys, boolean max, long count, boolean nested,
                                     ZPopCommands.Propagation propagation, long deadline) {
        for (byte[] key : keys) {
            ZSet z = ZSetKeys.write(c, key);
            if (z == null || z.size() == 0) {
                continue;
            }
            ZPopCommands.popFrom(c, key, z, max, count, true, nested, propagation);
            return;
        }
        if (Blocking.denied(c)) {
            c.reply().nullArray();
            return;
        }
        c.server().blocking().blockForKeys(c, Arrays.asList(keys), "zset", deadline, false);
    }
}
