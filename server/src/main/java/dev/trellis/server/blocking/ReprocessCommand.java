package dev.trellis.server.blocking;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.keyspace.Database;

/**
 * The handler of blocking commands: when a key is ready, the blocked command runs again from
 * its saved arguments, through its ordinary non-blocking path. If the key turned out not to
 * be usable after all, the command simply blocks again (keeping its deadline). On timeout the
 * client gets a null array, as Redis answers BLPOP, BZPOPMIN, XREAD... that time out.
 */
final class ReprocessCommand implements BlockHandler {
    private final Blocking blocking;
    private final Command command;
    private final byte[][] argv;

    ReprocessCommand(Blocking blocking, Command command, byte[][] argv) {
        this.blocking = blocking;
        this.command = command;
        this.argv = argv;
    }

    Command command() {
        return command;
    }

    @Override
    public boolean keyReady(Client c, Database db, byte[] key) {
        BlockedClient b = blocking.blockOf(c);
        blocking.reprocess(b, command, argv);
        return true;
    }

    @Override
    public void timedOut(Client c) {
        c.reply().nullArray();
    }
}
