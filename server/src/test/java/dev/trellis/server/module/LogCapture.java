package dev.trellis.server.module;

import dev.trellis.server.log.ServerLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sends the server log to a temporary file for the duration of a test, to check log lines. */
final class LogCapture implements AutoCloseable {
    private final Path file;

    LogCapture() {
        try {
            file = Files.createTempFile("trellis-log", ".txt");
            ServerLog.get().file(file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String text() {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            ServerLog.get().file("");
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
