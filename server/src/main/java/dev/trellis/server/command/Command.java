package dev.trellis.server.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of the command table: metadata (arity, flags, key specs, ACL categories, the
 * table's JSON for COMMAND INFO/DOCS), the body, and its statistics for INFO commandstats.
 */
public final class Command {
    private final String name;
    /** The name in the case it was declared (modules); what Redis shows. */
    private String declaredName;
    private String fullName;
    private final Command parent;
    private int arity;
    private long flags;
    private List<String> aclCategories;
    private List<KeySpec> keySpecs;
    private JsonNode meta;
    private int firstKey;
    private int lastKey;
    private int keyStep;
    private CommandHandler handler;
    private KeyFinder keyFinder;
    private final Map<String, Command> subcommands = new LinkedHashMap<>();
    /** The command's bit in ACL selectors, assigned by the ACL on first use (-1: not yet). */
    public int aclId = -1;
    /** Free for the owner (e.g. the module that registered it). */
    private Object owner;

    public long calls;
    public long microseconds;
    public long rejectedCalls;
    public long failedCalls;

    /** Custom key extraction (commands whose keys key specs cannot express, module getkeys-api). */
    @FunctionalInterface
    public interface KeyFinder {
        /** Returns key positions, or null when the arguments are invalid. */
        int[] keys(byte[][] argv, int argc);

        /**
         * Key positions with how each key is used (key-spec flag names such as RO, ACCESS), for
         * COMMAND GETKEYSANDFLAGS; null when the arguments are invalid. A finder that knows no
         * flags reports none.
         */
        default FlaggedKeys keysWithFlags(byte[][] argv, int argc) {
            int[] keys = keys(argv, argc);
            return keys == null ? null : new FlaggedKeys(keys, null);
        }
    }

    /**
     * The channel arguments of a module command declared with getchannels-api, for ACL checks:
     * positions and, per channel, the module API's channel flags (pattern 1, publish 2,
     * subscribe 4, unsubscribe 8); null when the module reported none.
     */
    @FunctionalInterface
    public interface ChannelFinder {
        FlaggedChannels channels(byte[][] argv, int argc);
    }

    /** Channel positions and their flags, index for index. */
    public record FlaggedChannels(int[] positions, int[] flags) {
    }

    private ChannelFinder channelFinder;

    public ChannelFinder channelFinder() {
        return channelFinder;
    }

    public void channelFinder(ChannelFinder f) {
        channelFinder = f;
    }

    /** Key positions and, per key, its key-spec flag names (null: unknown). */
    public record FlaggedKeys(int[] positions, List<List<String>> flags) {
    }

    public Command(String name, Command parent, int arity, long flags, List<String> aclCategories,
                   List<KeySpec> keySpecs, JsonNode meta) {
        this.name = name;
        this.declaredName = name;
        this.parent = parent;
        this.fullName = parent == null ? name : parent.declaredName + "|" + name;
        this.arity = arity;
        this.flags = flags;
        this.aclCategories = aclCategories;
        this.keySpecs = keySpecs;
        this.meta = meta;
        computeLegacyRange();
    }

    private void computeLegacyRange() {
        firstKey = lastKey = keyStep = 0;
        boolean movable = false;
        for (KeySpec s : keySpecs) {
            if (s.bsKeyword() != null || !s.rangeKind() || s.limit() > 1) {
                movable = true;
                continue;
            }
            int first = s.bsIndex();
            int last = s.lastKey() >= 0 ? first + s.lastKey() : s.lastKey();
            if (firstKey == 0) {
                firstKey = first;
                lastKey = last;
                keyStep = s.keyStep();
            } else if (lastKey >= 0 && first == lastKey + 1 && s.keyStep() == keyStep) {
                lastKey = last;
            } else {
                movable = true;
            }
        }
        if (movable) {
            flags |= CommandFlags.MOVABLE_KEYS;
        }
    }

    public String name() {
        return name;
    }

    /**
     * Sets the name as a module declared it ("FT.SEARCH"): lookups stay case-insensitive, but
     * Redis shows the declared case in COMMAND, INFO commandstats and arity errors.
     */
    public void declaredName(String declared) {
        declaredName = declared;
        fullName = parent == null ? declared : parent.declaredName + "|" + declared;
    }

    /** "name" or "parent|name" for subcommands, as Redis reports it (in the declared case). */
    public String fullName() {
        return fullName;
    }

    public Command parent() {
        return parent;
    }

    public int arity() {
        return arity;
    }

    public long flags() {
        return flags;
    }

    public boolean has(long flag) {
        return (flags & flag) != 0;
    }

    public void addFlags(long f) {
        flags |= f;
    }

    public List<String> aclCategories() {
        return aclCategories;
    }

    public void aclCategories(List<String> cats) {
        aclCategories = cats;
    }

    public List<KeySpec> keySpecs() {
        return keySpecs;
    }

    public void keySpecs(List<KeySpec> specs) {
        this.keySpecs = specs;
        long keepMovable = flags & CommandFlags.MOVABLE_KEYS;
        flags &= ~CommandFlags.MOVABLE_KEYS;
        computeLegacyRange();
        if (keyFinder != null) {
            flags |= keepMovable;
        }
    }

    /** Legacy key range for modules that give first/last/step directly. */
    public void legacyRange(int first, int last, int step) {
        firstKey = first;
        lastKey = last;
        keyStep = step;
    }

    public void arity(int arity) {
        this.arity = arity;
    }

    public JsonNode meta() {
        return meta;
    }

    public void meta(JsonNode meta) {
        this.meta = meta;
    }

    public int firstKey() {
        return firstKey;
    }

    public int lastKey() {
        return lastKey;
    }

    public int keyStep() {
        return keyStep;
    }

    public CommandHandler handler() {
        return handler;
    }

    public void handler(CommandHandler h) {
        this.handler = h;
    }

    public KeyFinder keyFinder() {
        return keyFinder;
    }

    public void keyFinder(KeyFinder f) {
        this.keyFinder = f;
        if (f != null) {
            flags |= CommandFlags.MOVABLE_KEYS;
        }
    }

    public Object owner() {
        return owner;
    }

    public void owner(Object owner) {
        this.owner = owner;
    }

    public Map<String, Command> subcommands() {
        return subcommands;
    }

    public Command subcommand(String lowerName) {
        return subcommands.get(lowerName);
    }

    public boolean arityOk(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }

    /** Key positions in {@code argv}, or null when the arguments don't allow finding them. */
    public int[] keys(byte[][] argv, int argc) {
        if (keyFinder != null) {
            return keyFinder.keys(argv, argc);
        }
        if (keySpecs.isEmpty() && firstKey > 0) {
            // Module commands declared with first/last/step only.
            List<Integer> out = new ArrayList<>();
            int last = lastKey >= 0 ? lastKey : argc + lastKey;
            for (int i = firstKey; i <= last && i < argc; i += Math.max(1, keyStep)) {
                out.add(i);
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }
        List<Integer> out = new ArrayList<>();
        for (KeySpec s : keySpecs) {
            if (!s.keys(argv, argc, out::add)) {
                return null;
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    public void resetStats() {
        calls = microseconds = rejectedCalls = failedCalls = 0;
        for (Command s : subcommands.values()) {
            s.resetStats();
        }
    }
}
