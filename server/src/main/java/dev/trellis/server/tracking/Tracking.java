package dev.trellis.server.tracking;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.Dispatcher;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.KeyspaceObserver;
import dev.trellis.server.pubsub.Outbox;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.util.ByteKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Client-side caching (CLIENT TRACKING). In the default mode the server remembers which clients
 * read which keys (the keys of read-only commands) and, when such a key changes, sends each of
 * them one invalidation and forgets the pair. In BCAST mode clients subscribe to key prefixes
 * and receive every changed key under them, batched after the current work. Invalidations are
 * RESP3 {@code invalidate} pushes, or, for a connection that redirects to a RESP2 client
 * subscribed in pub/sub mode, messages on {@code __redis__:invalidate}. A flush sends a null
 * invalidation to every tracking client.
 *
 * <p>A client is never interrupted by its own invalidations in the middle of a reply: those
 * are sent after its command (and after a whole EXEC).
 */
public final class Tracking implements KeyspaceObserver, Dispatcher.Observer {
    static final byte[] CHANNEL = "__redis__:invalidate".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL2 = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGE = "$7\r\nmessage\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Clients subscribed to one BCAST prefix and the keys changed under it since the last send. */
    private static final class Prefix {
        final LinkedHashSet<Client> clients = new LinkedHashSet<>();
        /** Changed key to the client that changed it last (for NOLOOP), sorted as Redis sends them. */
        final TreeMap<ByteKey, Client> changed = new TreeMap<>();
    }

    /** An invalidation held back until the current client's command has replied. */
    private record Pending(Client client, byte[] key) {
    }

    private final Server server;
    private final Outbox outbox;
    private final Map<ByteKey, Set<Long>> table = new HashMap<>();
    private final TreeMap<ByteKey, Prefix> prefixes = new TreeMap<>();
    private final List<Pending> pending = new ArrayList<>();
    private long totalItems;
    private int trackingClients;
    private boolean broadcastScheduled;
    private boolean flushedThisCommand;
    /** Our dispatcher observer, switched on only while some client tracks or something awaits a command's end. */
    private final dev.trellis.server.command.Dispatcher.Hook observerHook;
    private int limitEffortRounds;

    public Tracking(Server server, Outbox outbox) {
        this.server = server;
        this.outbox = outbox;
        server.keyspace().addObserver(this);
        keyspaceActive(false); // until a key or prefix is tracked
        observerHook = server.dispatcher().addObserver(this);
        observerHook.enabled(false);
        server.onClientClose(this::disable);
        server.onClientReset(this::disable);
        server.addCronTask(this::limitTableSize);
        server.info().gauge("tracking_clients", () -> trackingClients);
        server.info().gauge("tracking_total_keys", table::size);
        server.info().gauge("tracking_total_items", () -> totalItems);
        server.info().gauge("tracking_total_prefixes", prefixes::size);
        server.info().clientField("redir", c -> c.trackingState instanceof TrackingState st
                && (c.flags & Client.FLAG_TRACKING) != 0 ? st.redirect : -1);
    }

    static TrackingState state(Client c) {
        if (c.trackingState instanceof TrackingState st) {
            return st;
        }
        TrackingState st = new TrackingState();
        c.trackingState = st;
        return st;
    }

    static boolean tracking(Client c) {
        return (c.flags & Client.FLAG_TRACKING) != 0;
    }

    // --- enabling ----------------------------------------------------------------------

    /** CLIENT TRACKING ON with already validated options. */
    void enable(Client c, long redirect, boolean bcast, boolean optin, boolean optout, boolean noloop,
                List<byte[]> prefixList) {
        TrackingState st = state(c);
        if (!tracking(c)) {
            trackingClients++;
            refreshHook();
        }
        c.flags |= Client.FLAG_TRACKING;
        st.brokenRedirect = false;
        st.bcast = bcast;
        st.optin = optin;
        st.optout = optout;
        st.noloop = noloop;
        st.redirect = redirect;
        if (bcast) {
            if (prefixList.isEmpty()) {
                subscribePrefix(c, st, new byte[0]);
            }
            for (byte[] p : prefixList) {
                subscribePrefix(c, st, p);
            }
        }
    }

    private void subscribePrefix(Client c, TrackingState st, byte[] prefix) {
        ByteKey k = new ByteKey(prefix);
        prefixes.computeIfAbsent(k, x -> new Prefix()).clients.add(c);
        keyspaceCallbacks();
        st.prefixes.add(k);
    }

    /** CLIENT TRACKING OFF, RESET and disconnection. */
    void disable(Client c) {
        if (!(c.trackingState instanceof TrackingState st)) {
            return;
        }
        for (ByteKey k : st.prefixes) {
            Prefix p = prefixes.get(k);
            if (p != null) {
                p.clients.remove(c);
                if (p.clients.isEmpty()) {
                    prefixes.remove(k);
                    keyspaceCallbacks();
                }
            }
        }
        st.prefixes.clear();
        if (tracking(c)) {
            trackingClients--;
            refreshHook();
            c.flags &= ~Client.FLAG_TRACKING;
        }
        st.bcast = st.optin = st.optout = st.noloop = st.caching = st.brokenRedirect = false;
    }

    /** Two overlapping BCAST prefixes: a new one and an existing one of the client or another new one. */
    record Collision(byte[] prefix, byte[] other, boolean existing) {
    }

    /** The first overlap among {@code newPrefixes} and the client's current prefixes, or null. */
    static Collision prefixCollision(Client c, List<byte[]> newPrefixes) {
        TrackingState st = c.trackingState instanceof TrackingState s ? s : null;
        for (int i = 0; i < newPrefixes.size(); i++) {
            byte[] p = newPrefixes.get(i);
            if (st != null) {
                for (ByteKey existing : st.prefixes) {
                    if (overlap(existing.bytes(), p)) {
                        return new Collision(p, existing.bytes(), true);
                    }
                }
            }
            for (int j = i + 1; j < newPrefixes.size(); j++) {
                if (overlap(p, newPrefixes.get(j))) {
                    return new Collision(p, newPrefixes.get(j), false);
                }
            }
        }
        return null;
    }

    private static boolean overlap(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        return java.util.Arrays.equals(a, 0, n, b, 0, n);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return prefix.length <= key.length && java.util.Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    // --- remembering reads -------------------------------------------------------------

    @Override
    public void executed(Client c, Command cmd, boolean dirty, long startMs, long micros) {
        // As Redis, the keys a command reads are remembered for the client that sent the
        // top-level command: a module's Call reads on behalf of the module command's caller.
        Client owner = server.dispatcher().topLevel();
        if (owner == null) {
            owner = c;
        }
        if (trackingClients > 0 && tracking(owner) && cmd.has(CommandFlags.READONLY)) {
            TrackingState st = state(owner);
            if (!st.bcast) {
                remember(owner, st, cmd, c);
            }
        }
        if (server.dispatcher().depth() != 0) {
            return;
        }
        if (c.trackingState instanceof TrackingState st && st.caching
                && (c.flags & Client.FLAG_MULTI) == 0 && !isClientCommand(cmd)) {
            st.caching = false; // CLIENT CACHING applies to the next command (or transaction) only
        }
        afterCommand();
        refreshHook();
    }

    /** Whether the keyspace calls us on writes: only while some key or prefix is tracked. */
    private boolean keyspaceActive = true;

    private void keyspaceActive(boolean on) {
        if (keyspaceActive != on) {
            keyspaceActive = on;
            server.keyspace().observerActive(this, on);
        }
    }

    private void keyspaceCallbacks() {
        keyspaceActive(!table.isEmpty() || !prefixes.isEmpty());
    }

    private void refreshHook() {
        observerHook.enabled(trackingClients > 0 || !pending.isEmpty() || flushedThisCommand);
    }

    private static boolean isClientCommand(Command cmd) {
        Command top = cmd.parent() == null ? cmd : cmd.parent();
        return top.name().equals("client");
    }

    private void remember(Client c, TrackingState st, Command cmd, Client runner) {
        if ((st.optin && !st.caching) || (st.optout && st.caching) || cmd.has(CommandFlags.PUBSUB)) {
            return;
        }
        int[] positions = cmd.keys(runner.argv, runner.argc);
        if (positions == null) {
            return;
        }
        for (int pos : positions) {
            if (table.isEmpty()) {
                keyspaceActive(true);
            }
            Set<Long> ids = table.computeIfAbsent(new ByteKey(runner.argv[pos]), k -> new HashSet<>(2));
            if (ids.add(c.id())) {
                totalItems++;
            }
        }
    }

    // --- invalidating ------------------------------------------------------------------

    @Override
    public void keyModified(Database db, byte[] key) {
        if (table.isEmpty() && prefixes.isEmpty()) {
            return;
        }
        invalidate(server.dispatcher().current(), key, true);
    }

    private void invalidate(Client current, byte[] key, boolean bcast) {
        ByteKey k = new ByteKey(key);
        if (bcast && !prefixes.isEmpty()) {
            rememberForBroadcast(current, k);
        }
        Set<Long> ids = table.remove(k);
        if (ids == null) {
            return;
        }
        if (table.isEmpty()) {
            keyspaceCallbacks();
        }
        totalItems -= ids.size();
        for (long id : ids) {
            Client target = server.clients().get(id);
            if (target == null || !tracking(target) || state(target).bcast) {
                continue;
            }
            if (target == current) {
                if (state(target).noloop) {
                    continue;
                }
                pending.add(new Pending(target, key)); // after its reply
                observerHook.enabled(true);
                continue;
            }
            send(target, List.of(key));
        }
    }

    private void rememberForBroadcast(Client current, ByteKey key) {
        for (Map.Entry<ByteKey, Prefix> e : prefixes.entrySet()) {
            if (startsWith(key.bytes(), e.getKey().bytes())) {
                e.getValue().changed.put(key, current);
                scheduleBroadcast();
            }
        }
    }

    private void scheduleBroadcast() {
        if (!broadcastScheduled) {
            broadcastScheduled = true;
            server.execute(this::broadcast);
        }
    }

    /** Sends each BCAST prefix's changed keys to its clients (Redis does this before sleeping). */
    void broadcast() {
        broadcastScheduled = false;
        for (Prefix p : prefixes.values()) {
            if (p.changed.isEmpty()) {
                continue;
            }
            List<byte[]> all = new ArrayList<>(p.changed.size());
            for (ByteKey k : p.changed.keySet()) {
                all.add(k.bytes());
            }
            for (Client c : new ArrayList<>(p.clients)) {
                if (state(c).noloop) {
                    List<byte[]> others = new ArrayList<>();
                    for (Map.Entry<ByteKey, Client> e : p.changed.entrySet()) {
                        if (e.getValue() != c) {
                            others.add(e.getKey().bytes());
                        }
                    }
                    if (!others.isEmpty()) {
                        send(c, others);
                    }
                } else {
                    send(c, all);
                }
            }
            p.changed.clear();
        }
    }

    @Override
    public void databaseReplacing(Database db, Database with) {
        if (with != null) {
            return; // SWAPDB does not invalidate (as in Redis)
        }
        table.clear();
        keyspaceCallbacks();
        totalItems = 0;
        if (trackingClients == 0 || flushedThisCommand) {
            return;
        }
        Client current = server.dispatcher().current();
        // FLUSHALL empties every database: its clients get one null invalidation, not one per db.
        flushedThisCommand = current != null;
        for (Client c : new ArrayList<>(server.clients().values())) {
            if (!tracking(c)) {
                continue;
            }
            if (c == current) {
                pending.add(new Pending(c, null));
                observerHook.enabled(true);
            } else {
                send(c, null);
            }
        }
    }

    /** Sends what waited for the end of the top-level command: invalidations of its own keys. */
    private void afterCommand() {
        flushedThisCommand = false;
        if (pending.isEmpty()) {
            return;
        }
        List<Pending> now = new ArrayList<>(pending);
        pending.clear();
        for (Pending p : now) {
            if (tracking(p.client) && server.clients().get(p.client.id()) == p.client) {
                send(p.client, p.key == null ? null : List.of(p.key));
            }
        }
    }

    /**
     * Writes one invalidation for {@code c}'s tracking: {@code keys} (or null: everything, after
     * a flush) to {@code c} itself in RESP3, or to its redirection target.
     */
    private void send(Client c, List<byte[]> keys) {
        TrackingState st = state(c);
        Client target = c;
        boolean redirected = false;
        if (st.redirect != 0) {
            Client r = server.clients().get(st.redirect);
            if (r == null) {
                st.brokenRedirect = true;
                if (c.protocol() >= 3) {
                    c.reply().push(2);
                    c.reply().bulk("tracking-redir-broken");
                    c.reply().integer(st.redirect);
                    outbox.wrote(c);
                }
                return;
            }
            target = r;
            redirected = true;
        }
        Reply out = target.reply();
        if (target.protocol() >= 3) {
            out.push(2);
            out.bulk("invalidate");
        } else if (redirected && (target.flags & Client.FLAG_PUBSUB) != 0) {
            out.push(3);
            out.raw(MESSAGE);
            out.bulk(CHANNEL);
        } else {
            return; // RESP2 without redirection cannot receive invalidations
        }
        if (keys == null) {
            out.raw(c.protocol() >= 3 ? NULL3 : NULL2); // the tracking client's null, as Redis
        } else {
            out.array(keys.size());
            for (byte[] k : keys) {
                out.bulk(k);
            }
        }
        outbox.wrote(target);
    }

    /** tracking-table-max-keys: invalidates keys until the table is back under the limit. */
    private void limitTableSize() {
        if (table.isEmpty()) {
            return;
        }
        var p = server.config().find("tracking-table-max-keys");
        long max = p == null ? 1_000_000 : Long.parseLong(p.get());
        if (max == 0 || table.size() <= max) {
            limitEffortRounds = 0;
            return;
        }
        int effort = 100 * (limitEffortRounds + 1);
        Iterator<ByteKey> it = new ArrayList<>(table.keySet()).iterator();
        while (effort-- > 0 && it.hasNext() && table.size() > max) {
            invalidate(null, it.next().bytes(), false);
        }
        limitEffortRounds = table.size() > max ? limitEffortRounds + 1 : 0;
    }

    // --- introspection -----------------------------------------------------------------

    public int trackingClients() {
        return trackingClients;
    }

    public int trackedKeys() {
        return table.size();
    }
}
