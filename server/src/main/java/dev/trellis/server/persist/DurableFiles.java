package dev.trellis.server.persist;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * File operations that survive a crash: a file is written under a temporary name, forced to
 * disk, then renamed over the target, and the directory entry is forced too, so a reader finds
 * either the old complete file or the new complete one.
 */
public final class DurableFiles {
    private DurableFiles() {
    }

    /** Renames {@code tmp} over {@code target} atomically and syncs the directory. */
    public static void commit(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(target.toAbsolutePath().getParent());
    }

    /** Forces a directory's entries (new, renamed, deleted files) to disk; best effort. */
    public static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Some file systems cannot open directories for syncing; the rename itself stands.
        }
    }

    /** Writes {@code data} to {@code target} through a synced temporary file. */
    public static void writeAtomically(Path target, byte[] data) throws IOException {
        Path tmp = target.resolveSibling("temp-" + ProcessHandle.current().pid() + "-" + target.getFileName());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        commit(tmp, target);
    }
}
