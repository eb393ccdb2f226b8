package dev.trellis.server.types;

/** A non-string value held by a key: a list, hash, set, sorted set, stream or module value. */
public interface RedisValue {
    /** The name TYPE reports: "list", "hash", "set", "zset", "stream", or a module type's name. */
    String typeName();

    /** The name OBJECT ENCODING reports, e.g. "listpack", "quicklist", "hashtable". */
    String encoding();

    /** A deep copy for COPY. */
    RedisValue copy();

    /** Approximate heap bytes, for MEMORY USAGE and used_memory accounting. */
    long memoryUsage();

    /**
     * Feeds the value's contents to {@code digest} for DEBUG DIGEST and DIGEST-VALUE: equal
     * contents must feed equal bytes (unordered collections in an order-independent way, e.g.
     * by XOR-ing per-element hashes). The default only distinguishes types; types override it.
     */
    default void digest(java.security.MessageDigest digest) {
        digest.update(typeName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * {@link #digest(java.security.MessageDigest)} for the value held at {@code key} in database
     * {@code dbId}: module types' digest callbacks may ask for both.
     */
    default void digest(java.security.MessageDigest digest, byte[] key, int dbId) {
        digest(digest);
    }
}
