package dev.trellis.server.persist;

import dev.trellis.server.persist.rdb.RdbOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Writes a file on a background thread from chunks produced on the server thread: the bytes go
 * to a temporary file, which is forced to disk and renamed over the target when
 * {@link #finish} is called. The outcome (null or the failure) is handed to a callback, which
 * runs on the writer thread (callers hop back to the server thread themselves).
 */
public final class BackgroundFileWriter implements RdbOutput.Sink {
    private static final byte[] END = new byte[0];
    private static final byte[] ABORT = new byte[0];

    private final Path tmp;
    private final Path target;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Consumer<Exception> done;
    private final Thread thread;
    private volatile Exception failure;

    /**
     * @param target the final name; null keeps the file under {@code tmp} (the caller renames)
     */
    public BackgroundFileWriter(Path tmp, Path target, String threadName, Consumer<Exception> done) throws IOException {
        this.tmp = tmp;
        this.target = target;
        this.done = done;
        FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        thread = Thread.ofPlatform().name(threadName).daemon(true).unstarted(() -> run(ch));
        thread.start();
    }

    /** Bytes handed over but not yet written (the producer slows down when this grows). */
    public long pendingBytes() {
        return pending.get();
    }

    public long writtenBytes() {
        return written.get();
    }

    /** A failure seen so far (the producer can stop early). */
    public Exception failure() {
        return failure;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
        byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
        pending.addAndGet(len);
        queue.add(copy);
    }

    /** No more data: sync, rename, then report. */
    public void finish() {
        queue.add(END);
    }

    /** Give up: the temporary file is deleted, then the callback hears about it. */
    public void abort() {
        queue.add(ABORT);
    }

    private void run(FileChannel ch) {
        Exception err = null;
        boolean aborted = false;
        try (ch) {
            while (true) {
                byte[] b = queue.take();
                if (b == END) {
                    ch.force(true);
                    break;
                }
                if (b == ABORT) {
                    aborted = true;
                    break;
                }
                if (failure == null) {
                    try {
                        ByteBuffer bb = ByteBuffer.wrap(b);
                        while (bb.hasRemaining()) {
                            ch.write(bb);
                        }
                        written.addAndGet(b.length);
                    } catch (IOException e) {
                        failure = e;
                    }
                }
                pending.addAndGet(-b.length);
            }
            if (failure != null) {
                err = failure;
            }
        } catch (IOException e) {
            err = e;
        } catch (InterruptedException e) {
            err = e;
            Thread.currentThread().interrupt();
        }
        try {
            if (aborted || err != null) {
                Files.deleteIfExists(tmp);
                if (err == null) {
                    err = new IOException("aborted");
                }
            } else if (target != null) {
                DurableFiles.commit(tmp, target);
            }
        } catch (IOException e) {
            err = e;
        }
        failure = err;
        done.accept(err);
    }
}
