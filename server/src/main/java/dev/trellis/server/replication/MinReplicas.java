package dev.trellis.server.replication;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.Dispatcher;
import dev.trellis.server.config.Config;
import dev.trellis.server.tx.Transactions;

/**
 * min-replicas-to-write / min-replicas-max-lag: a master with fewer "good" replicas (online, and
 * acknowledged within max-lag seconds) than required refuses write commands with
 * {@code -NOREPLICAS}, as Redis's processCommand does. A replica never refuses (its writes come
 * from its master). The good count is recomputed when replicas attach, acknowledge or leave,
 * once per cron tick and when either setting changes; the dispatcher gate only reads one field.
 */
public final class MinReplicas implements Dispatcher.Gate {
    /** Redis's shared.noreplicaserr, without the leading '-'. */
    public static final String NOREPLICAS = "NOREPLICAS Not enough good replicas to write.";

    /** Counts the replicas acknowledged within a lag (the master side's links). */
    public interface Counter {
        int goodReplicas(long maxLagSeconds);
    }

    private final Dispatcher dispatcher;
    private final Transactions transactions;
    private final Propagation propagation;
    private int toWrite;
    private int maxLag;
    private int good;
    private Counter counter = lag -> 0;
    /** Writes are refused now (both settings non-zero and too few good replicas): the hot-path test. */
    private boolean short_;

    public MinReplicas(Config config, Dispatcher dispatcher, Transactions transactions, Propagation propagation) {
        this.dispatcher = dispatcher;
        this.transactions = transactions;
        this.propagation = propagation;
        toWrite = Integer.parseInt(config.find("min-replicas-to-write").get());
        maxLag = Integer.parseInt(config.find("min-replicas-max-lag").get());
        config.onChange("min-replicas-to-write", v -> {
            toWrite = Integer.parseInt(v);
            refresh();
        });
        config.onChange("min-replicas-max-lag", v -> {
            maxLag = Integer.parseInt(v);
            refresh();
        });
        refresh();
    }

    /** Where the good replicas are counted (set by the master side of replication). */
    public void counter(Counter c) {
        counter = c;
        refresh();
    }

    /** Both settings are non-zero: the feature is on (INFO shows min_slaves_good_slaves). */
    public boolean enabled() {
        return toWrite != 0 && maxLag != 0;
    }

    /** The good replicas counted at the last refresh (Redis's repl_good_slaves_count). */
    public int goodReplicas() {
        return good;
    }

    /** Called only while too few replicas are good (the dispatcher skips this gate otherwise). */
    private dev.trellis.server.command.Dispatcher.Hook hook;

    public void hook(dev.trellis.server.command.Dispatcher.Hook h) {
        hook = h;
        h.enabled(short_);
    }

    /** Recounts the good replicas (Redis's refreshGoodSlavesCount). */
    public void refresh() {
        if (!enabled()) {
            short_ = false;
        } else {
            good = counter.goodReplicas(maxLag);
            short_ = good < toWrite;
        }
        if (hook != null) {
            hook.enabled(short_);
        }
    }

    /** Whether a write must be refused now (Redis's !checkGoodReplicasStatus()). */
    public boolean writesDenied() {
        return short_ && propagation.replicaRole() == null;
    }

    @Override
    public boolean intercept(Client c, Command cmd) {
        if (!short_) {
            return false;
        }
        if (propagation.replicaRole() != null) {
            return false;
        }
        if (cmd.has(CommandFlags.WRITE)) {
            dispatcher.reject(c, cmd, NOREPLICAS);
            return true;
        }
        if (cmd.parent() == null && cmd.name().equals("exec") && Transactions.inMulti(c)
                && (transactions.queuedFlags(c) & CommandFlags.WRITE) != 0) {
            cmd.rejectedCalls++;
            transactions.abortExec(c, NOREPLICAS);
            return true;
        }
        return false;
    }
}
