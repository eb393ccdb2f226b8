package dev.trellis.server.persist.rdb;

import dev.trellis.server.keyspace.KeyHash;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Loads an RDB stream on two threads: a decoder thread reads the file, checksums it, parses the
 * opcodes and builds every value; the server thread only puts the finished keys into the
 * keyspace ({@link #step}), in file order. Decoding is most of a load's work, so with a second
 * core the server thread's part (and the time until the server is ready) shrinks to the
 * keyspace insertions.
 *
 * <p>Keys travel in batches through a bounded queue; emptied batches go back for reuse. The
 * bound is generous (what waits in it is part of the dataset anyway): on a busy machine either
 * thread may be descheduled for a while, and the other should keep working meanwhile. Before
 * inserting a batch the server thread touches the table slots of all its keys, so their cache
 * misses overlap instead of being paid one key at a time. Only
 * {@link RdbLoader.Target#key} and {@link RdbLoader.Target#resize} touch the keyspace, and both
 * run on the server thread; function records are only collected, so the decoder hands them to
 * the target directly. Not for files that may hold module values or module aux data: module
 * callbacks run on the server thread (callers use the plain {@link RdbLoader} then).
 */
public final class PipelinedRdbLoad {
    private static final int BATCH = 512;
    private static final int QUEUE = 256;
    /** Marks a RESIZEDB record in a batch ({@code expireAt} holds the keys, {@code lruIdle} the expires). */
    private static final Object RESIZE = new Object();

    /** A run of decoded keys (and RESIZEDB hints), in file order. */
    private static final class Batch {
        final int[] db = new int[BATCH];
        final byte[][] keys = new byte[BATCH][];
        /** The keys' {@link KeyHash}es, computed on the decoder thread. */
        final int[] hash = new int[BATCH];
        final Object[] values = new Object[BATCH];
        final long[] expireAt = new long[BATCH];
        final long[] lruIdle = new long[BATCH];
        final int[] lfuFreq = new int[BATCH];
        int n;
        /** The decoder's position in the input after this batch. */
        long position;
        boolean last;
        RuntimeException error;

        boolean full() {
            return n == BATCH;
        }

        void clear() {
            java.util.Arrays.fill(keys, 0, n, null);
            java.util.Arrays.fill(values, 0, n, null);
            n = 0;
        }
    }

    private final RdbLoader loader;
    private final RdbLoader.Target target;
    private final ArrayBlockingQueue<Batch> ready = new ArrayBlockingQueue<>(QUEUE);
    private final ArrayBlockingQueue<Batch> spare = new ArrayBlockingQueue<>(QUEUE + 2);
    private volatile boolean cancelled;
    private volatile long position;
    private Batch current;
    /** The batch the server thread is applying (null between batches), and its next key. */
    private Batch open;
    private int at;
    private boolean done;
    private Thread thread;

    /**
     * A load of {@code in} into {@code target}; nothing runs until {@link #start}.
     * {@code verifyChecksum} and {@code dropExpired} are as for {@link RdbLoader}.
     */
    public PipelinedRdbLoad(RdbInput in, int databases, RdbLoader.Target target, boolean verifyChecksum, boolean dropExpired) {
        this.target = target;
        this.loader = new RdbLoader(in, databases, new Collector(target), verifyChecksum, dropExpired);
    }

    /** The loader, for its decoding context (set before {@link #start}) and, once done, its counts. */
    public RdbLoader loader() {
        return loader;
    }

    /** Starts the decoder thread. */
    public void start() {
        current = new Batch();
        thread = Thread.ofPlatform().name("trellis-rdb-load").daemon(true).start(this::decode);
    }

    /** Bytes of the input decoded so far (for the loading progress). */
    public long position() {
        return position;
    }

    /** Stops the decoder (the server is shutting down, or the load was abandoned). */
    public void cancel() {
        cancelled = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /**
     * Puts up to {@code maxKeys} decoded keys into the keyspace, waiting briefly when none is
     * ready; returns true once the whole stream (EOF opcode and checksum) is loaded. A batch
     * may be applied over several steps (key-load-delay asks for one key per step). A decode
     * error is thrown here, on the server thread, after the keys that preceded it.
     */
    public boolean step(int maxKeys) throws InterruptedException {
        int applied = 0;
        while (!done && applied < maxKeys) {
            if (open == null) {
                Batch b = applied == 0 ? ready.poll(1, TimeUnit.MILLISECONDS) : ready.poll();
                if (b == null) {
                    break;
                }
                open = b;
                at = 0;
                prefetch(b);
            }
            Batch b = open;
            int n = Math.min(b.n - at, maxKeys - applied);
            apply(b, at, at + n);
            at += n;
            applied += Math.max(1, n);
            if (at < b.n) {
                break;
            }
            open = null;
            position = Math.max(position, b.position);
            if (b.error != null) {
                done = true;
                throw b.error;
            }
            if (b.last) {
                done = true;
            }
            b.clear();
            spare.offer(b);
        }
        return done;
    }

    /** Keeps the prefetching reads observable, so the JIT cannot drop them. */
    private int touched;

    /** Starts the table reads of a whole batch, so their cache misses overlap before the inserts. */
    private void prefetch(Batch b) {
        if (target instanceof RdbFiles.KeyspaceTarget k) {
            int sum = 0;
            for (int i = 0; i < b.n; i++) {
                if (b.values[i] != RESIZE) {
                    sum += k.prefetch(b.db[i], b.keys[i], b.hash[i]);
                }
            }
            touched += sum;
        }
    }

    private void apply(Batch b, int from, int to) {
        RdbLoader.Target t = target;
        RdbFiles.KeyspaceTarget ks = t instanceof RdbFiles.KeyspaceTarget k ? k : null;
        for (int i = from; i < to; i++) {
            Object v = b.values[i];
            if (v == RESIZE) {
                t.resize(b.db[i], b.expireAt[i], b.lruIdle[i]);
            } else if (ks != null) {
                ks.key(b.db[i], b.keys[i], b.hash[i], v, b.expireAt[i], b.lruIdle[i], b.lfuFreq[i]);
            } else {
                t.key(b.db[i], b.keys[i], v, b.expireAt[i], b.lruIdle[i], b.lfuFreq[i]);
            }
        }
    }

    // --- decoder thread ---------------------------------------------------------------------

    private void decode() {
        try {
            loader.header();
            while (!loader.step(BATCH)) {
                if (cancelled) {
                    return;
                }
            }
            current.last = true;
        } catch (CancellationException e) {
            return;
        } catch (RuntimeException e) {
            current.error = e;
        } catch (Error e) {
            current.error = new IllegalStateException(e.toString(), e);
        }
        try {
            hand();
        } catch (CancellationException e) {
            // nobody waits for the outcome any more
        }
    }

    /** Passes the current batch to the server thread and takes an empty one. */
    private void hand() {
        Batch b = current;
        b.position = loader.input().position();
        try {
            while (!ready.offer(b, 100, TimeUnit.MILLISECONDS)) {
                if (cancelled) {
                    throw new CancellationException();
                }
            }
            if (b.last || b.error != null) {
                return;
            }
            Batch next = spare.poll();
            current = next != null ? next : new Batch();
        } catch (InterruptedException e) {
            throw new CancellationException();
        }
    }

    /** Unwinds the decoder thread when the load is cancelled. */
    private static final class CancellationException extends RuntimeException {
        CancellationException() {
            super("RDB load cancelled", null, false, false);
        }
    }

    /** The decoder's target: collects keys into batches for the server thread. */
    private final class Collector implements RdbLoader.Target {
        private final RdbLoader.Target downstream;

        Collector(RdbLoader.Target downstream) {
            this.downstream = downstream;
        }

        @Override
        public void key(int db, byte[] key, Object value, long expireAt, long lruIdle, int lfuFreq) {
            Batch b = current;
            int i = b.n++;
            b.db[i] = db;
            b.keys[i] = key;
            b.hash[i] = KeyHash.hash(key);
            b.values[i] = value;
            b.expireAt[i] = expireAt;
            b.lruIdle[i] = lruIdle;
            b.lfuFreq[i] = lfuFreq;
            if (b.full()) {
                hand();
            }
        }

        @Override
        public void resize(int db, long keys, long expires) {
            Batch b = current;
            int i = b.n++;
            b.db[i] = db;
            b.values[i] = RESIZE;
            b.expireAt[i] = keys;
            b.lruIdle[i] = expires;
            if (b.full()) {
                hand();
            }
        }

        @Override
        public void function(byte[] code) {
            // Only collected (read once the load is done), so no need to wait for the server thread.
            downstream.function(code);
        }
    }
}
