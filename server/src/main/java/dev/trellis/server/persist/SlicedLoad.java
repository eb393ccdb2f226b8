package dev.trellis.server.persist;

import dev.trellis.server.Server;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Runs a loader in short slices on the server thread, so clients get -LOADING (and INFO) while
 * a big file loads instead of a server that does not answer. With key-load-delay each key is
 * its own slice, delayed as configured.
 */
final class SlicedLoad {
    static final int STEP_KEYS = 512;
    private static final long SLICE_NANOS = 5_000_000;

    /** One step of loading of at most {@code maxKeys} keys; returns true when done. */
    interface Step {
        boolean run(int maxKeys) throws Exception;
    }

    private final Server server;
    private final LoadingState state;
    private final long delayMicros;
    private final Step step;
    private final LongSupplier position;
    private final Runnable onDone;
    private final Consumer<Exception> onError;
    /** Set on the server thread when the server shuts down mid-load: no further slice runs. */
    private boolean cancelled;

    SlicedLoad(Server server, LoadingState state, long delayMicros, Step step, LongSupplier position, Runnable onDone,
               Consumer<Exception> onError) {
        this.server = server;
        this.state = state;
        this.delayMicros = delayMicros;
        this.step = step;
        this.position = position;
        this.onDone = onDone;
        this.onError = onError;
    }

    void start() {
        slice();
    }

    /** Stops the load where it is (a slice already queued returns at once). Server thread only. */
    void cancel() {
        cancelled = true;
    }

    private void slice() {
        if (cancelled) {
            return;
        }
        try {
            long deadline = System.nanoTime() + SLICE_NANOS;
            boolean done;
            do {
                done = step.run(delayMicros > 0 ? 1 : STEP_KEYS);
            } while (!done && delayMicros <= 0 && System.nanoTime() < deadline);
            state.progress(position.getAsLong());
            if (done) {
                onDone.run();
            } else if (delayMicros > 0) {
                server.scheduler().schedule(this::slice, delayMicros, TimeUnit.MICROSECONDS);
            } else {
                server.execute(this::slice);
            }
        } catch (Exception e) {
            onError.accept(e);
        }
    }
}
