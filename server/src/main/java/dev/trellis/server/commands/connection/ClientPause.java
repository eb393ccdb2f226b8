package dev.trellis.server.commands.connection;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.Dispatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * CLIENT PAUSE: while a pause is active, a client's command that the pause covers (every
 * command, or only those that may write or replicate) is postponed: the client stops reading
 * requests and the command runs when the pause ends. During a pause keys are not expired
 * (they only look expired), as in Redis, so the dataset does not change.
 */
public final class ClientPause implements Dispatcher.Gate {
    private final Server server;
    private final List<Client> postponed = new ArrayList<>();
    private boolean active;
    private boolean all;
    private long endMs;

    ClientPause(Server server) {
        this.server = server;
        server.onClientClose(postponed::remove);
        server.addCronTask(this::checkExpired);
    }

    /** Called only while a pause is active (the dispatcher skips this gate otherwise). */
    private dev.trellis.server.command.Dispatcher.Hook hook;

    void hook(dev.trellis.server.command.Dispatcher.Hook h) {
        hook = h;
        h.enabled(active);
    }

    /** Starts or extends a pause; a write pause never weakens an active pause of everything. */
    public void pause(long untilMs, boolean everything) {
        if (active) {
            all = all || everything;
            endMs = Math.max(endMs, untilMs);
        } else {
            active = true;
            if (hook != null) {
                hook.enabled(true);
            }
            all = everything;
            endMs = untilMs;
        }
        server.keyspace().expireDeletes(false);
        server.keyspace().activeExpireEnabled(false);
    }

    /** Ends the pause and runs the postponed commands in the order they arrived. */
    public void unpause() {
        if (!active) {
            return;
        }
        active = false;
        if (hook != null) {
            hook.enabled(false);
        }
        server.keyspace().expireDeletes(true);
        server.keyspace().activeExpireEnabled(true);
        List<Client> waiting = new ArrayList<>(postponed);
        postponed.clear();
        for (Client c : waiting) {
            if (c.transport() != null) {
                c.transport().resumePostponed();
            }
        }
    }

    public boolean active() {
        return active;
    }

    private void checkExpired() {
        if (active && System.currentTimeMillis() >= endMs) {
            unpause();
        }
    }

    @Override
    public boolean intercept(Client c, Command cmd) {
        if (!active || c.transport() == null || (c.flags & (Client.FLAG_REPLICA | Client.FLAG_MASTER)) != 0) {
            return false;
        }
        if (System.currentTimeMillis() >= endMs) {
            unpause();
            return false;
        }
        if (all || mayWrite(cmd)) {
            postponed.add(c);
            c.transport().pause();
            return true;
        }
        return false;
    }

    /**
     * Commands a write pause holds back: writes, commands that may replicate (scripts, PUBLISH)
     * and EXEC (its queued commands may write).
     */
    private static boolean mayWrite(Command cmd) {
        return cmd.has(CommandFlags.WRITE) || cmd.has(CommandFlags.MAY_REPLICATE) || cmd.fullName().equals("exec");
    }
}
