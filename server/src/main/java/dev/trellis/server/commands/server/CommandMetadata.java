package dev.trellis.server.commands.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.KeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What COMMAND INFO and DOCS derive from a command's table entry: the flags Redis shows, the
 * ACL categories including the implied ones, the legacy first/last/step key range, and key
 * spec flags in Redis's order.
 */
public final class CommandMetadata {
    /** Command flags COMMAND INFO shows, in Redis's order (may_replicate, protected... stay hidden). */
    private static final Object[][] SHOWN_FLAGS = {
        {CommandFlags.WRITE, "write"}, {CommandFlags.READONLY, "readonly"}, {CommandFlags.DENYOOM, "denyoom"},
        {CommandFlags.MODULE, "module"}, {CommandFlags.ADMIN, "admin"}, {CommandFlags.PUBSUB, "pubsub"},
        {CommandFlags.NOSCRIPT, "noscript"}, {CommandFlags.BLOCKING, "blocking"}, {CommandFlags.LOADING, "loading"},
        {CommandFlags.STALE, "stale"}, {CommandFlags.SKIP_MONITOR, "skip_monitor"},
        {CommandFlags.SKIP_SLOWLOG, "skip_slowlog"}, {CommandFlags.ASKING, "asking"}, {CommandFlags.FAST, "fast"},
        {CommandFlags.NO_AUTH, "no_auth"}, {CommandFlags.NO_MANDATORY_KEYS, "no_mandatory_keys"},
        {CommandFlags.NO_ASYNC_LOADING, "no_async_loading"}, {CommandFlags.NO_MULTI, "no_multi"},
        {CommandFlags.MOVABLE_KEYS, "movablekeys"}, {CommandFlags.ALLOW_BUSY, "allow_busy"},
    };

    /** ACL categories in the order Redis lists them. */
    static final List<String> ACL_CATEGORIES = List.of("keyspace", "read", "write", "set", "sortedset", "list", "hash",
            "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
            "dangerous", "connection", "transaction", "scripting");

    /** Key spec flags in the order Redis lists them, with the names it shows. */
    private static final String[][] KEY_FLAGS = {
        {"RO", "RO"}, {"RW", "RW"}, {"OW", "OW"}, {"RM", "RM"}, {"ACCESS", "access"}, {"UPDATE", "update"},
        {"INSERT", "insert"}, {"DELETE", "delete"}, {"NOT_KEY", "not_key"}, {"INCOMPLETE", "incomplete"},
        {"VARIABLE_FLAGS", "variable_flags"},
    };

    private CommandMetadata() {
    }

    static JsonNode meta(Command c) {
        return c.meta() == null ? MissingNode.getInstance() : c.meta();
    }

    /** The legacy key range and whether the keys are movable, as Redis derives them from the key specs. */
    record LegacyRange(int first, int last, int step, boolean movable) {
    }

    static LegacyRange legacyRange(Command c) {
        JsonNode specs = meta(c).path("key_specs");
        List<KeySpec> ks = c.keySpecs();
        boolean movable = c.has(CommandFlags.MODULE_GETKEYS);
        if (ks.isEmpty()) {
            return new LegacyRange(c.firstKey(), c.lastKey(), c.keyStep(), movable);
        }
        if (ks.size() == 1 && isIndexRange(ks.get(0), specs.path(0))) {
            KeySpec s = ks.get(0);
            int last = s.lastKey() >= 0 ? s.bsIndex() + s.lastKey() : s.lastKey();
            return new LegacyRange(s.bsIndex(), last, s.keyStep(), movable || s.flags().contains("INCOMPLETE"));
        }
        int first = Integer.MAX_VALUE;
        long last = 0;
        long prevLast = 0;
        for (int i = 0; i < ks.size(); i++) {
            KeySpec s = ks.get(i);
            if (!isIndexRange(s, specs.path(i))) {
                movable = true;
                continue;
            }
            if (s.keyStep() != 1 || (prevLast != 0 && prevLast != s.bsIndex() - 1)) {
                movable = true;
                continue;
            }
            if (s.flags().contains("INCOMPLETE")) {
                movable = true;
            }
            first = Math.min(first, s.bsIndex());
            long abs = s.lastKey() >= 0 ? s.lastKey() + s.bsIndex() : s.lastKey();
            // Redis compares as unsigned, so a negative (count from the end) last key wins.
            last = Long.compareUnsigned(last & 0xffffffffL, abs & 0xffffffffL) >= 0 ? last : abs;
            prevLast = last;
        }
        if (first == Integer.MAX_VALUE) {
            return new LegacyRange(0, 0, 0, true);
        }
        int lastAbs = (int) last;
        return new LegacyRange(first, lastAbs, 1, movable);
    }

    private static boolean isIndexRange(KeySpec s, JsonNode json) {
        if (!json.isMissingNode()) {
            return json.path("begin_search").has("index") && json.path("find_keys").has("range");
        }
        return s.bsKeyword() == null && s.rangeKind() && s.bsIndex() > 0;
    }

    static List<String> flagNames(Command c) {
        long flags = c.flags() & ~CommandFlags.MOVABLE_KEYS;
        if (legacyRange(c).movable()) {
            flags |= CommandFlags.MOVABLE_KEYS;
        }
        List<String> out = new ArrayList<>();
        for (Object[] f : SHOWN_FLAGS) {
            if ((flags & (Long) f[0]) != 0) {
                out.add((String) f[1]);
            }
        }
        return out;
    }

    /** Declared categories plus the ones Redis implies from the flags, in Redis's order. */
    static List<String> aclCategories(Command c) {
        java.util.Set<String> cats = new java.util.HashSet<>();
        for (String a : c.aclCategories()) {
            cats.add(a.toLowerCase(Locale.ROOT).replace("@", ""));
        }
        // Redis derives implicit categories from flags only for its own commands; a module
        // command has exactly the categories it declared (SetCommandACLCategories).
        if (!c.has(CommandFlags.MODULE)) {
            addImplicitCategories(c, cats);
        }
        List<String> out = new ArrayList<>();
        for (String cat : ACL_CATEGORIES) {
            if (cats.contains(cat)) {
                out.add(cat);
            }
        }
        return out;
    }

    /**
     * Every category the command is in, module-added ones included (lowercase, no '@'): what
     * ACL rules and ACL CAT go by.
     */
    public static java.util.Set<String> aclCategorySet(Command c) {
        java.util.Set<String> cats = new java.util.HashSet<>();
        for (String a : c.aclCategories()) {
            cats.add(a.toLowerCase(Locale.ROOT).replace("@", ""));
        }
        if (!c.has(CommandFlags.MODULE)) {
            addImplicitCategories(c, cats);
        }
        return cats;
    }

    private static void addImplicitCategories(Command c, java.util.Set<String> cats) {
        if (c.has(CommandFlags.WRITE)) {
            cats.add("write");
        }
        if (c.has(CommandFlags.READONLY) && !cats.contains("scripting")) {
            cats.add("read");
        }
        if (c.has(CommandFlags.ADMIN)) {
            cats.add("admin");
            cats.add("dangerous");
        }
        if (c.has(CommandFlags.PUBSUB)) {
            cats.add("pubsub");
        }
        if (c.has(CommandFlags.FAST)) {
            cats.add("fast");
        }
        if (c.has(CommandFlags.BLOCKING)) {
            cats.add("blocking");
        }
        if (!cats.contains("fast")) {
            cats.add("slow");
        }
    }

    static List<String> keyFlagNames(List<String> specFlags) {
        List<String> out = new ArrayList<>();
        for (String[] f : KEY_FLAGS) {
            if (specFlags.contains(f[0])) {
                out.add(f[1]);
            }
        }
        return out;
    }

    /** Whether GETKEYS can report keys for the command (Redis's doesCommandHaveKeys). */
    static boolean hasKeys(Command c) {
        if (c.keyFinder() != null || meta(c).path("getkeys").asBoolean(false) || c.has(CommandFlags.MODULE_GETKEYS)) {
            return true;
        }
        for (KeySpec s : c.keySpecs()) {
            if (!s.flags().contains("NOT_KEY")) {
                return true;
            }
        }
        return c.keySpecs().isEmpty() && c.firstKey() > 0;
    }
}
