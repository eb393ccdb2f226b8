package dev.trellis.server.persist.rdb;

/**
 * RDB input that cannot be loaded: cut short, corrupt, or using something we cannot rebuild.
 * RESTORE turns any of these into "Bad data format"; loading a file logs the reason.
 */
public class RdbException extends RuntimeException {
    private final boolean shortRead;

    private RdbException(String message, boolean shortRead) {
        super(message, null, false, false);
        this.shortRead = shortRead;
    }

    /** The input ended (or an announced length runs past its end). */
    public static RdbException shortRead() {
        return new RdbException("Unexpected EOF reading RDB file", true);
    }

    public static RdbException corrupt(String reason) {
        return new RdbException(reason, false);
    }

    public boolean isShortRead() {
        return shortRead;
    }
}
