package dev.trellis.server.persist;

/** Receives commands that rebuild a value (an AOF rewrite in command form). */
public interface CommandSink {
    void command(byte[]... argv);
}
