package dev.trellis.server.tx;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.Dispatcher;
import java.util.Arrays;

/**
 * MULTI/EXEC/DISCARD/WATCH/UNWATCH. While a client is in MULTI, a dispatcher gate queues its
 * commands (reply QUEUED) instead of running them; a request rejected meanwhile (unknown
 * command, wrong arity, OOM, ...) marks the transaction failed so EXEC answers EXECABORT. EXEC
 * runs the queue through the dispatcher with {@link Client#FLAG_MULTI} still set, which makes
 * blocking commands behave as non-blocking. Propagation wraps what the EXEC wrote in
 * MULTI/EXEC (see {@code replication.Propagation}).
 */
public final class Transactions {
    private static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";

    private final Server server;
    private final WatchedKeys watched;
    private boolean inExec;

    public Transactions(Server server) {
        this.server = server;
        this.watched = new WatchedKeys(server.keyspace());
        server.keyspace().addObserver(watched);
        server.keyspace().observerActive(watched, false); // until a key is watched
        server.onClientClose(this::forget);
        server.onClientReset(this::forget);
        server.info().clientField("multi", this::queued);
        server.info().clientField("watch", this::watchedKeys);
        server.info().clientField("multi-mem", Transactions::queuedBytes);
    }

    /** Memory held by a client's queued commands (CLIENT LIST multi-mem): arguments plus references. */
    private static long queuedBytes(Client c) {
        if (!(c.multiState instanceof MultiState st)) {
            return 0;
        }
        long n = 0;
        for (byte[][] argv : st.argvs) {
            n += 16L + 8L * argv.length;
            for (byte[] a : argv) {
                n += a.length;
            }
        }
        return n;
    }

    public static boolean inMulti(Client c) {
        return (c.flags & Client.FLAG_MULTI) != 0;
    }

    /** Rejects commands flagged no_multi inside MULTI; runs before the other gates as in Redis. */
    public Dispatcher.Gate noMultiGate() {
        return (c, cmd) -> {
            if (inMulti(c) && cmd.has(CommandFlags.NO_MULTI)) {
                server.dispatcher().reject(c, cmd, "ERR Command not allowed inside a transaction");
                return true;
            }
            return false;
        };
    }

    /** Queues commands of clients in MULTI; the last gate, so earlier rejections still apply. */
    public Dispatcher.Gate queueGate() {
        return new Dispatcher.Gate() {
            @Override
            public boolean intercept(Client c, Command cmd) {
                if (!inMulti(c) || runsInsideMulti(cmd)) {
                    return false;
                }
                MultiState st = state(c);
                // Once the transaction is doomed there is no point keeping what is queued.
                if ((c.flags & Client.FLAG_DIRTY_CAS) == 0 && !st.queueingFailed) {
                    st.queue(cmd, Arrays.copyOf(c.argv, c.argc));
                }
                c.reply().queued();
                return true;
            }

            @Override
            public void rejected(Client c, String error) {
                flagQueueingError(c);
            }
        };
    }

    /** The commands that act on the transaction itself rather than being queued. */
    private static boolean runsInsideMulti(Command cmd) {
        if (cmd.parent() != null) {
            return false;
        }
        return switch (cmd.name()) {
            case "exec", "discard", "multi", "watch", "quit", "reset" -> true;
            default -> false;
        };
    }

    /** Marks the open transaction of {@code c} as failed (a request was rejected while queueing). */
    public void flagQueueingError(Client c) {
        if (inMulti(c)) {
            state(c).queueingFailed = true;
        }
    }

    /** Union of the flags of the commands queued by {@code c} (0 outside MULTI). */
    public long queuedFlags(Client c) {
        return inMulti(c) && c.multiState instanceof MultiState st ? st.commandFlags : 0;
    }

    /** Number of keys watched by all clients. */
    public int watchedKeys() {
        return watched.size();
    }

    public int watchedKeys(Client c) {
        return c.multiState instanceof MultiState st ? st.watches.size() : 0;
    }

    /** Number of commands queued by {@code c}, or -1 outside MULTI (CLIENT LIST "multi="). */
    public int queued(Client c) {
        return inMulti(c) && c.multiState instanceof MultiState st ? st.commands.size() : -1;
    }

    private static MultiState state(Client c) {
        if (c.multiState instanceof MultiState st) {
            return st;
        }
        MultiState st = new MultiState();
        c.multiState = st;
        return st;
    }

    // --- commands ----------------------------------------------------------------------

    public void multi(Client c) {
        if (inMulti(c)) {
            c.reply().error("ERR MULTI calls can not be nested");
            return;
        }
        state(c).clearQueue();
        c.flags |= Client.FLAG_MULTI;
        c.reply().ok();
    }

    public void discard(Client c) {
        if (!inMulti(c)) {
            c.reply().error("ERR DISCARD without MULTI");
            return;
        }
        discardTransaction(c);
        c.reply().ok();
    }

    /** Whether an EXEC is running its queued commands (Redis's server.in_exec). */
    public boolean inExec() {
        return inExec;
    }

    public void exec(Client c) {
        if (!inMulti(c)) {
            c.reply().error("ERR EXEC without MULTI");
            return;
        }
        MultiState st = state(c);
        if (watched.anyExpired(st)) {
            c.flags |= Client.FLAG_DIRTY_CAS;
        }
        if (st.queueingFailed || (c.flags & Client.FLAG_DIRTY_CAS) != 0) {
            if (st.queueingFailed) {
                c.reply().error(EXECABORT);
            } else {
                c.reply().nullArray();
            }
            discardTransaction(c);
            return;
        }
        watched.unwatchAll(st);
        byte[][] argv = c.argv;
        int argc = c.argc;
        Command exec = c.cmd;
        int n = st.commands.size();
        c.reply().array(n);
        Dispatcher d = server.dispatcher();
        boolean outerExec = inExec;
        inExec = true;
        try {
            for (int i = 0; i < n; i++) {
                byte[][] qa = st.argvs.get(i);
                c.argv = qa;
                c.argc = qa.length;
                Command queued = st.commands.get(i);
                if (!c.aclUser().unrestricted) {
                    String denied = server.acl().execDenial(c, queued);
                    if (denied != null) {
                        c.reply().error(denied);
                        continue;
                    }
                }
                d.call(c, queued);
            }
        } finally {
            inExec = outerExec;
            c.argv = argv;
            c.argc = argc;
            c.cmd = exec;
            discardTransaction(c);
        }
    }

    public void watch(Client c) {
        if (inMulti(c)) {
            c.reply().error("ERR WATCH inside MULTI is not allowed");
            return;
        }
        if ((c.flags & Client.FLAG_DIRTY_CAS) == 0) {
            MultiState st = state(c);
            for (int i = 1; i < c.argc; i++) {
                watched.watch(c, st, c.db(), c.arg(i));
            }
        }
        c.reply().ok();
    }

    public void unwatch(Client c) {
        if (c.multiState instanceof MultiState st) {
            watched.unwatchAll(st);
        }
        c.flags &= ~Client.FLAG_DIRTY_CAS;
        c.reply().ok();
    }

    /**
     * Refuses an EXEC before it runs (a gate's check failed, e.g. -NOREPLICAS): the transaction
     * is discarded and the client told why, as Redis's execCommandAbort.
     */
    public void abortExec(Client c, String error) {
        discardTransaction(c);
        c.reply().error("EXECABORT Transaction discarded because of: " + error);
    }

    private void discardTransaction(Client c) {
        if (c.multiState instanceof MultiState st) {
            st.clearQueue();
            watched.unwatchAll(st);
        }
        c.flags &= ~(Client.FLAG_MULTI | Client.FLAG_DIRTY_CAS);
    }

    /** RESET and disconnection: no transaction and no watched keys remain. */
    private void forget(Client c) {
        discardTransaction(c);
        c.multiState = null;
    }
}
