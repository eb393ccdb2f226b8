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
}
