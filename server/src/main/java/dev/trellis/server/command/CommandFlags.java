package dev.trellis.server.command;

/** Command flag bits; the names are those COMMAND INFO reports. */
public final class CommandFlags {
    public static final long WRITE = 1L;
    public static final long READONLY = 1L << 1;
    public static final long DENYOOM = 1L << 2;
    public static final long MODULE = 1L << 3;
    public static final long ADMIN = 1L << 4;
    public static final long PUBSUB = 1L << 5;
    public static final long NOSCRIPT = 1L << 6;
    public static final long BLOCKING = 1L << 7;
    public static final long LOADING = 1L << 8;
    public static final long STALE = 1L << 9;
    public static final long SKIP_MONITOR = 1L << 10;
    public static final long SKIP_SLOWLOG = 1L << 11;
    public static final long ASKING = 1L << 12;
    public static final long FAST = 1L << 13;
    public static final long NO_AUTH = 1L << 14;
    public static final long MAY_REPLICATE = 1L << 15;
    public static final long SENTINEL = 1L << 16;
    public static final long ONLY_SENTINEL = 1L << 17;
    public static final long NO_MANDATORY_KEYS = 1L << 18;
    public static final long PROTECTED = 1L << 19;
    public static final long MODULE_GETKEYS = 1L << 20;
    public static final long MODULE_NO_CLUSTER = 1L << 21;
    public static final long NO_ASYNC_LOADING = 1L << 22;
    public static final long NO_MULTI = 1L << 23;
    public static final long MOVABLE_KEYS = 1L << 24;
    public static final long ALLOW_BUSY = 1L << 25;
    public static final long MODULE_GETCHANNELS = 1L << 26;
    public static final long TOUCHES_ARBITRARY_KEYS = 1L << 27;

    /** Flag names in the order COMMAND INFO lists them. */
    static final String[] NAMES = {
        "write", "readonly", "denyoom", "module", "admin", "pubsub", "noscript", "blocking", "loading",
        "stale", "skip_monitor", "skip_slowlog", "asking", "fast", "no_auth", "may_replicate", "sentinel",
        "only_sentinel", "no_mandatory_keys", "protected", "module_getkeys", "module_no_cluster",
        "no_async_loading", "no_multi", "movablekeys", "allow_busy", "module_getchannels",
        "touches_arbitrary_keys",
    };

    private CommandFlags() {
    }

    /** The bit for a flag name as it appears in our command table, or 0 if unknown. */
    public static long parse(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return 1L << i;
            }
        }
        return 0;
    }

    /** Flag names that COMMAND INFO shows (internal module bits are not shown). */
    public static java.util.List<String> names(long flags) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            long bit = 1L << i;
            if ((flags & bit) != 0 && bit != MODULE_GETKEYS && bit != MODULE_NO_CLUSTER && bit != SENTINEL
                    && bit != ONLY_SENTINEL && bit != PROTECTED && bit != MODULE_GETCHANNELS
                    && bit != TOUCHES_ARBITRARY_KEYS) {
                out.add(NAMES[i]);
            }
        }
        return out;
    }
}
