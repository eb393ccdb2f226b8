package dev.trellis.server.keyspace;


/**
 * All databases, the command clock and the keyspace counters. Expiry is decided here: a key
 * whose time has passed is deleted on access (lazily) or by {@link #activeExpireCycle}, and
 * observers are told so they can notify and propagate the DEL.
 */
public final class Keyspace {
    private final Database[] dbs;
    /**
     * Observers, and per callback the observers that override it: a write calls only those that
     * listen (most observers care for one or two callbacks). Copied on change (rare).
     */
    private volatile KeyspaceObserver[] observers = NONE;
    private volatile KeyspaceObserver[] onKeyModified = NONE;
    private volatile KeyspaceObserver[] onEvent = NONE;
    private volatile KeyspaceObserver[] onEntryRemoved = NONE;
    private volatile KeyspaceObserver[] onEntryRemoving = NONE;
    private volatile KeyspaceObserver[] onKeyExpired = NONE;
    private volatile KeyspaceObserver[] onDatabaseReplacing = NONE;
    private volatile KeyspaceObserver[] onDatabaseChanged = NONE;
    private static final KeyspaceObserver[] NONE = new KeyspaceObserver[0];
    /** Time frozen for the duration of a command, as Redis's cached mstime. */
    private long nowMs = System.currentTimeMillis();
    private boolean clockFrozen;
    private boolean activeExpireEnabled = true;
    /** When false (replica, loading) expired keys are reported missing but not deleted. */
    private boolean expireDeletes = true;
    private boolean touchEnabled = true;
    private AccessClock accessClock = AccessClock.LRU;
    /** Set while a point-in-time snapshot runs (see {@link SnapshotHook}). */
    SnapshotHook snapshotHook;

    public long expiredKeys;
    public long expiredStalePercSum;
    public long keyspaceHits;
    public long keyspaceMisses;

    public Keyspace(int databases) {
        dbs = new Database[databases];
        for (int i = 0; i < databases; i++) {
            dbs[i] = new Database(i, this);
        }
    }

    public int databases() {
        return dbs.length;
    }

    public Database db(int id) {
        return dbs[id];
    }

    /** Installs (or with null removes) the hook of a running snapshot. */
    public void snapshotHook(SnapshotHook h) {
        snapshotHook = h;
    }

    public SnapshotHook snapshotHook() {
        return snapshotHook;
    }

    public synchronized void addObserver(KeyspaceObserver o) {
        KeyspaceObserver[] more = java.util.Arrays.copyOf(observers, observers.length + 1);
        more[more.length - 1] = o;
        indexObservers(more);
    }

    public synchronized void removeObserver(KeyspaceObserver o) {
        indexObservers(java.util.Arrays.stream(observers).filter(x -> x != o).toArray(KeyspaceObserver[]::new));
    }

    private void indexObservers(KeyspaceObserver[] all) {
        // entryModified defaults to keyModified, so overriding either one listens to both.
        KeyspaceObserver[] byKey = listening(all, "keyModified", Database.class, byte[].class);
        KeyspaceObserver[] byEntry = listening(all, "entryModified", Database.class, KeyEntry.class);
        allOnKeyModified = java.util.Arrays.stream(all)
                .filter(o -> java.util.Arrays.asList(byKey).contains(o) || java.util.Arrays.asList(byEntry).contains(o))
                .toArray(KeyspaceObserver[]::new);
        allOnEvent = listening(all, "event", int.class, String.class, byte[].class, int.class);
        allOnEntryRemoving = listening(all, "entryRemoving", Database.class, KeyEntry.class, int.class);
        selectActive();
        onEntryRemoved = listening(all, "entryRemoved", Database.class, KeyEntry.class);
        onKeyExpired = listening(all, "keyExpired", Database.class, byte[].class);
        onDatabaseReplacing = listening(all, "databaseReplacing", Database.class, Database.class);
        onDatabaseChanged = listening(all, "databaseChanged", Database.class);
        observers = all;
    }

    // Every observer of the per-write callbacks; the on* arrays hold those not switched off.
    private KeyspaceObserver[] allOnKeyModified = NONE;
    private KeyspaceObserver[] allOnEvent = NONE;
    private KeyspaceObserver[] allOnEntryRemoving = NONE;
    private final java.util.Set<KeyspaceObserver> inactive =
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /**
     * Switches the per-write callbacks of {@code o} (keyModified/entryModified, event,
     * entryRemoving) on or off. An observer with nothing to watch (no blocked client, no
     * WATCH, no module subscriber, notifications off...) is switched off so that writes do not
     * call it: with only one or two observers left a call site is inlined instead of making a
     * megamorphic interface call per observer. Its rarer callbacks (flushes, SWAPDB, expiry,
     * removals) are always called. Owners switch it back on before they need to hear writes.
     */
    public synchronized void observerActive(KeyspaceObserver o, boolean active) {
        if (active ? inactive.remove(o) : inactive.add(o)) {
            selectActive();
        }
    }

    private void selectActive() {
        onKeyModified = active(allOnKeyModified);
        onEvent = active(allOnEvent);
        onEntryRemoving = active(allOnEntryRemoving);
    }

    private KeyspaceObserver[] active(KeyspaceObserver[] all) {
        if (inactive.isEmpty()) {
            return all;
        }
        KeyspaceObserver[] on = new KeyspaceObserver[all.length];
        int n = 0;
        for (KeyspaceObserver o : all) {
            if (!inactive.contains(o)) {
                on[n++] = o;
            }
        }
        return n == all.length ? all : java.util.Arrays.copyOf(on, n);
    }

    /** The observers whose class overrides the callback {@code name} (the defaults do nothing). */
    private static KeyspaceObserver[] listening(KeyspaceObserver[] all, String name, Class<?>... params) {
        return java.util.Arrays.stream(all).filter(o -> {
            try {
                return o.getClass().getMethod(name, params).getDeclaringClass() != KeyspaceObserver.class;
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("KeyspaceObserver." + name + " not found", e);
            }
        }).toArray(KeyspaceObserver[]::new);
    }

    /** Current time for expiry decisions: frozen during a command. */
    public long now() {
        return clockFrozen ? nowMs : System.currentTimeMillis();
    }

    /** Freezes the clock at the current time (start of a command). */
    public void freezeClock() {
        freezeAt(System.currentTimeMillis());
    }

    /**
     * Freezes the clock at the wall time matching {@code nanoTime}, a monotonic reading the
     * caller took anyway (the dispatcher times each command): one clock read per command instead
     * of two. The wall time is the last wall-clock reading plus the monotonic time since, and
     * {@link #syncClock} takes a fresh reading every cron tick, so wall-clock changes are followed
     * within one tick, as Redis's cached clock follows them.
     */
    public void freezeClock(long nanoTime) {
        freezeAt(wallBaseMs + (nanoTime - nanoBase) / 1_000_000);
    }

    /** Takes a fresh wall-clock reading for {@link #freezeClock(long)} (every cron tick). */
    public void syncClock() {
        nanoBase = System.nanoTime();
        wallBaseMs = System.currentTimeMillis();
    }

    private long nanoBase = System.nanoTime();
    private long wallBaseMs = System.currentTimeMillis();

    private void freezeAt(long ms) {
        nowMs = ms;
        AccessClock.cache(ms);
        clockFrozen = true;
    }

    public void unfreezeClock() {
        clockFrozen = false;
    }

    boolean isExpired(long at) {
        return !expiryPaused && at <= now();
    }

    private boolean expiryPaused;

    /**
     * While loading a dataset nothing expires (as Redis): commands replayed from an AOF must
     * see the keys they saw when they first ran; expired keys go once loading ends.
     */
    public boolean expiryPaused() {
        return expiryPaused;
    }

    public void expiryPaused(boolean paused) {
        expiryPaused = paused;
    }

    public void activeExpireEnabled(boolean on) {
        activeExpireEnabled = on;
    }

    public boolean activeExpireEnabled() {
        return activeExpireEnabled;
    }

    public void expireDeletes(boolean on) {
        expireDeletes = on;
    }

    /** False on a replica: expired keys look missing but stay until the master deletes them. */
    public boolean expireDeletes() {
        return expireDeletes;
    }

    /** Disables access-clock updates (CLIENT NO-TOUCH, OBJECT, TYPE). */
    public void touchEnabled(boolean on) {
        touchEnabled = on;
    }

    public void accessClock(AccessClock clock) {
        this.accessClock = clock;
    }

    public AccessClock accessClock() {
        return accessClock;
    }

    void touch(KeyEntry e) {
        if (touchEnabled) {
            e.access = (e.access & ~KeyEntry.ACCESS_MASK) | accessClock.touch(e.access & KeyEntry.ACCESS_MASK);
        }
    }

    /** Gives a new entry its first access value (LRU now, or LFU's initial counter). */
    void initAccess(KeyEntry e) {
        e.access = (e.access & ~KeyEntry.ACCESS_MASK) | accessClock.initial();
    }

    /** Why the next removals happen (a KeyspaceObserver.REMOVED_* reason); deletion by default. */
    private int removalReason = KeyspaceObserver.REMOVED_DELETED;

    /** Sets the reason told with the removals that follow; returns the previous one to restore. */
    public int removalReason(int reason) {
        int old = removalReason;
        removalReason = reason;
        return old;
    }

    /** Tells observers an entry is about to go (or be overwritten, with that reason). */
    void entryRemoving(Database db, KeyEntry e, int reason) {
        for (KeyspaceObserver o : onEntryRemoving) {
            o.entryRemoving(db, e, reason);
        }
    }

    int removalReason() {
        return removalReason;
    }

    /** Deletes an expired entry; returns false when deletion is suppressed (replica). */
    boolean expireKey(Database db, KeyEntry e) {
        if (!expireDeletes) {
            return true; // looks missing but stays
        }
        int prev = removalReason(KeyspaceObserver.REMOVED_EXPIRED);
        try {
            db.unlink(e);
        } finally {
            removalReason(prev);
        }
        expiredKeys++;
        byte[] key = e.key;
        for (KeyspaceObserver o : onKeyExpired) {
            o.keyExpired(db, key);
        }
        for (KeyspaceObserver o : onEvent) {
            o.event(EventType.EXPIRED, "expired", key, db.id());
        }
        keyModified(db, key);
        return true;
    }

    /** {@link #keyModified} for a present entry (observers need not look it up). */
    void entryModified(Database db, KeyEntry e) {
        for (KeyspaceObserver o : onKeyModified) {
            o.entryModified(db, e);
        }
    }

    void keyModified(Database db, byte[] key) {
        for (KeyspaceObserver o : onKeyModified) {
            o.keyModified(db, key);
        }
    }

    void databaseReplacing(Database db, Database with) {
        for (KeyspaceObserver o : onDatabaseReplacing) {
            o.databaseReplacing(db, with);
        }
    }

    void databaseChanged(Database db) {
        for (KeyspaceObserver o : onDatabaseChanged) {
            o.databaseChanged(db);
        }
    }

    /** Tells observers about a keyspace event (commands call this after a change). */
    public void notify(int type, String event, byte[] key, int dbId) {
        for (KeyspaceObserver o : onEvent) {
            o.event(type, event, key, dbId);
        }
    }

    /** Signals a modified key (WATCH, tracking) for changes made through a value in place. */
    public void signalModified(Database db, byte[] key) {
        keyModified(db, key);
    }

    /**
     * An entry left the keyspace (deleted, expired, or its database flushed): observers account
     * for it, and values that must know (module values) are told. Values are garbage collected.
     */
    void entryRemoved(Database db, KeyEntry e, boolean flush) {
        for (KeyspaceObserver o : onEntryRemoved) {
            o.entryRemoved(db, e);
        }
        if (e.value instanceof HeldValue h) {
            h.released(db, e.key, flush);
        }
    }

    public void swap(int a, int b) {
        databaseReplacing(dbs[a], dbs[b]);
        databaseReplacing(dbs[b], dbs[a]);
        dbs[a].swapWith(dbs[b]);
        databaseChanged(dbs[a]);
        databaseChanged(dbs[b]);
    }

    /** One active expiry cycle over all databases, bounded by {@code budgetMicros}. */
    public void activeExpireCycle(long budgetMicros) {
        if (!activeExpireEnabled || !expireDeletes || expiryPaused) {
            return;
        }
        long deadline = System.nanoTime() + budgetMicros * 1000;
        boolean frozen = clockFrozen;
        freezeClock();
        try {
            for (Database db : dbs) {
                if (db.volatileSize() > 0) {
                    db.activeExpire(deadline, 20);
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
            }
        } finally {
            clockFrozen = frozen;
        }
    }

    /** Incremental rehashing of the databases' tables for up to about 1 ms. */
    public void rehashCycle() {
        for (Database db : dbs) {
            if (db.dict().isRehashing()) {
                db.dict().rehashMilliseconds(1);
                return;
            }
        }
    }

    public long totalKeys() {
        long n = 0;
        for (Database db : dbs) {
            n += db.size();
        }
        return n;
    }
}
