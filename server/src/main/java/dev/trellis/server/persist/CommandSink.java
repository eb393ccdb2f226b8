package dev.trellis.server.persist;

/** Receives commands that rebuild a value (an AOF rewrite in command form). */
public interface CommandSink {
    void command(byte[]... argv);

    /** Whether the server has {@code name} (a rewrite must not write what it cannot load back). */
    default boolean supports(String name) {
        return true;
    }
}
