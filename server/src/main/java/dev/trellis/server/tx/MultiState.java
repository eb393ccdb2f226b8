package dev.trellis.server.tx;

import dev.trellis.server.command.Command;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's transaction state: the commands queued since MULTI, whether queueing failed
 * (EXEC then aborts with EXECABORT), and the keys it WATCHes (which outlive a transaction).
 */
final class MultiState {
    final List<Command> commands = new ArrayList<>();
    final List<byte[][]> argvs = new ArrayList<>();
    /** Union of the queued commands' flags (EXEC is "write"/"denyoom" if any queued command is). */
    long commandFlags;
    /** An error happened while queueing: EXEC must fail with EXECABORT. */
    boolean queueingFailed;
    /** WATCHed keys, in the order they were watched. */
    final List<WatchedKeys.Watch> watches = new ArrayList<>();

    void queue(Command cmd, byte[][] argv) {
        commands.add(cmd);
        argvs.add(argv);
        commandFlags |= cmd.flags();
    }

    void clearQueue() {
        commands.clear();
        argvs.clear();
        commandFlags = 0;
        queueingFailed = false;
    }
}
