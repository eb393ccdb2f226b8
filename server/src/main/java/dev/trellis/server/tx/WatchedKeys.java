package dev.trellis.server.tx;

import dev.trellis.server.client.Client;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.keyspace.Keyspace;
import dev.trellis.server.keyspace.KeyspaceObserver;
import dev.trellis.server.util.ByteKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * WATCH: which clients watch which keys, per database index. Any modification of a watched key
 * (including deletion by expiry or eviction), a FLUSHDB/FLUSHALL that removes it and a SWAPDB
 * that changes it marks the watching clients {@link Client#FLAG_DIRTY_CAS}, so their next EXEC
 * fails. A key that was already logically expired when watched is not a change when its
 * expiry is finally carried out.
 */
final class WatchedKeys implements KeyspaceObserver {
    /** One client watching one key. */
    static final class Watch {
        final int dbId;
        final ByteKey key;
        final Client client;
        /** The key was expired (but not yet deleted) when WATCH ran. */
        boolean expiredAtWatch;

        Watch(int dbId, ByteKey key, Client client) {
            this.dbId = dbId;
            this.key = key;
            this.client = client;
        }
    }

    private final Keyspace keyspace;
    private final Map<ByteKey, List<Watch>>[] byDb;
    private int total;

    @SuppressWarnings("unchecked")
    WatchedKeys(Keyspace keyspace) {
        this.keyspace = keyspace;
        this.byDb = new Map[keyspace.databases()];
    }

    /** Watches {@code key} in {@code db} for {@code c} unless it already does. */
    void watch(Client c, MultiState st, Database db, byte[] key) {
        ByteKey k = new ByteKey(key);
        for (Watch w : st.watches) {
            if (w.dbId == db.id() && w.key.equals(k)) {
                return;
            }
        }
        Watch w = new Watch(db.id(), k, c);
        w.expiredAtWatch = isLogicallyExpired(db, key);
        st.watches.add(w);
        Map<ByteKey, List<Watch>> m = byDb[db.id()];
        if (m == null) {
            m = byDb[db.id()] = new HashMap<>();
        }
        m.computeIfAbsent(k, x -> new ArrayList<>(2)).add(w);
        if (total++ == 0) {
            keyspace.observerActive(this, true);
        }
    }

    void unwatchAll(MultiState st) {
        for (Watch w : st.watches) {
            Map<ByteKey, List<Watch>> m = byDb[w.dbId];
            List<Watch> l = m.get(w.key);
            l.remove(w);
            if (l.isEmpty()) {
                m.remove(w.key);
            }
            if (--total == 0) {
                keyspace.observerActive(this, false); // writes need not look for watchers
            }
        }
        st.watches.clear();
    }

    /** True when a key watched while alive has expired since (EXEC must then fail). */
    boolean anyExpired(MultiState st) {
        for (Watch w : st.watches) {
            if (!w.expiredAtWatch && isLogicallyExpired(keyspace.db(w.dbId), w.key.bytes())) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return total;
    }

    private boolean isLogicallyExpired(Database db, byte[] key) {
        KeyEntry e = db.peek(key);
        return e != null && e.expireAt() != KeyEntry.NO_EXPIRE && e.expireAt() <= keyspace.now();
    }

    private static void markDirty(Client c) {
        c.flags |= Client.FLAG_DIRTY_CAS;
    }

    @Override
    public void keyModified(Database db, byte[] key) {
        if (total == 0) {
            return;
        }
        Map<ByteKey, List<Watch>> m = byDb[db.id()];
        if (m == null) {
            return;
        }
        List<Watch> watchers = m.get(new ByteKey(key));
        if (watchers == null) {
            return;
        }
        List<Client> dirty = new ArrayList<>();
        for (Watch w : watchers) {
            if (w.expiredAtWatch && db.peek(key) == null) {
                // The stale key was deleted: logically nothing changed.
                w.expiredAtWatch = false;
                continue;
            }
            dirty.add(w.client);
        }
        for (Client c : dirty) {
            markDirty(c);
            // A dirty client's EXEC fails whatever else happens: stop watching to save work.
            if (c.multiState instanceof MultiState st) {
                unwatchAll(st);
            }
        }
    }

    @Override
    public void databaseReplacing(Database db, Database with) {
        if (total == 0) {
            return;
        }
        Map<ByteKey, List<Watch>> m = byDb[db.id()];
        if (m == null) {
            return;
        }
        for (Map.Entry<ByteKey, List<Watch>> e : m.entrySet()) {
            byte[] key = e.getKey().bytes();
            boolean inDb = db.peek(key) != null;
            boolean inWith = with != null && with.peek(key) != null;
            if (!inDb && !inWith) {
                continue;
            }
            for (Watch w : e.getValue()) {
                if (w.expiredAtWatch) {
                    if (!inWith) {
                        w.expiredAtWatch = false; // the stale key goes away: no logical change
                        continue;
                    }
                    if (isLogicallyExpired(with, key)) {
                        continue; // replaced by another expired key
                    }
                } else if (!inDb && isLogicallyExpired(with, key)) {
                    w.expiredAtWatch = true; // a missing key replaced by an expired one
                    continue;
                }
                markDirty(w.client);
            }
        }
    }
}
