package dev.trellis.server.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The command table. Metadata comes from {@code commands.json} (our extraction of Redis's
 * command facts); command groups then {@link #bind} bodies to names. Entries without a body
 * are dropped by {@link #seal}, so COMMAND only lists what really runs.
 *
 * <p>Lookups take the raw name bytes and compare case-insensitively without allocating.
 */
public final class CommandTable {
    private final Map<String, Command> metadata = new LinkedHashMap<>();
    private final Map<String, Command> commands = new LinkedHashMap<>();
    // Open-addressing index over lower-case names, with each slot's hash and name bytes beside
    // it, so a lookup compares ints and bytes instead of walking Command -> String -> chars.
    // Replaced whole on change, so a lookup always sees three arrays that belong together.
    private record Index(Command[] slots, int[] hashes, byte[][] names) {
    }

    private Index index = new Index(new Command[1], new int[1], new byte[1][]);

    public static CommandTable load() {
        CommandTable t = new CommandTable();
        try (InputStream in = CommandTable.class.getResourceAsStream("commands.json")) {
            JsonNode root = JsonTree.read(in);
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Command c = fromJson(e.getKey(), null, e.getValue());
                t.metadata.put(c.name(), c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return t;
    }

    private static Command fromJson(String name, Command parent, JsonNode n) {
        long flags = 0;
        for (JsonNode f : n.path("flags")) {
            flags |= CommandFlags.parse(f.asText());
        }
        List<String> acl = new ArrayList<>();
        for (JsonNode a : n.path("acl")) {
            acl.add(a.asText());
        }
        Command c = new Command(name, parent, n.path("arity").asInt(), flags, acl, keySpecs(n.path("key_specs")), n);
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("subcommands").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            c.subcommands().put(e.getKey(), fromJson(e.getKey(), c, e.getValue()));
        }
        return c;
    }

    /** Parses key specs in the JSON shape of COMMAND INFO / our table. */
    public static List<KeySpec> keySpecs(JsonNode specs) {
        List<KeySpec> out = new ArrayList<>();
        for (JsonNode s : specs) {
            List<String> flags = new ArrayList<>();
            for (JsonNode f : s.path("flags")) {
                flags.add(f.asText());
            }
            JsonNode bs = s.path("begin_search");
            JsonNode fk = s.path("find_keys");
            int bsIndex = bs.path("index").path("pos").asInt(0);
            String kw = bs.has("keyword") ? bs.path("keyword").path("keyword").asText() : null;
            int kwStart = bs.path("keyword").path("startfrom").asInt(1);
            boolean range = fk.has("range");
            JsonNode r = fk.path("range");
            JsonNode k = fk.path("keynum");
            out.add(new KeySpec(flags, bsIndex, kw, kwStart, range,
                    r.path("lastkey").asInt(0), Math.max(1, r.path("step").asInt(1)), r.path("limit").asInt(0),
                    k.path("keynumidx").asInt(0), k.path("firstkey").asInt(1), Math.max(1, k.path("step").asInt(1))));
        }
        return out;
    }

    /** Attaches a body to a table command ("get") or subcommand ("client|list"). */
    public Command bind(String name, CommandHandler handler) {
        String lower = name.toLowerCase(Locale.ROOT);
        int bar = lower.indexOf('|');
        Command c;
        if (bar < 0) {
            c = metadata.get(lower);
        } else {
            Command parent = metadata.get(lower.substring(0, bar));
            c = parent == null ? null : parent.subcommand(lower.substring(bar + 1));
        }
        if (c == null) {
            throw new IllegalArgumentException("no metadata for command " + name);
        }
        c.handler(handler);
        if (bar >= 0) {
            Command parent = c.parent();
            if (parent.handler() == null) {
                parent.handler(CONTAINER);
            }
        }
        return c;
    }

    /** Marker body for container commands: the dispatcher resolves the subcommand. */
    public static final CommandHandler CONTAINER = c -> {
        throw new IllegalStateException("container command executed directly");
    };

    /** Drops commands without a body and builds the lookup index. */
    public void seal() {
        for (Command c : metadata.values()) {
            c.subcommands().values().removeIf(s -> s.handler() == null);
            if (c.handler() != null) {
                commands.put(c.name(), c);
            }
        }
        rebuildIndex();
    }

    /** Adds a command created at runtime (modules); false if the name is taken. */
    public boolean add(Command c) {
        if (commands.containsKey(c.name())) {
            return false;
        }
        commands.put(c.name(), c);
        rebuildIndex();
        return true;
    }

    public boolean remove(String name) {
        if (commands.remove(name) == null) {
            return false;
        }
        rebuildIndex();
        return true;
    }

    private void rebuildIndex() {
        int size = Integer.highestOneBit(Math.max(64, commands.size() * 4) - 1) << 1;
        Command[] s = new Command[size];
        int[] h = new int[size];
        byte[][] n = new byte[size][];
        for (Command c : commands.values()) {
            byte[] name = c.name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int hash = hashLower(name);
            int i = hash & (size - 1);
            while (s[i] != null) {
                i = (i + 1) & (size - 1);
            }
            s[i] = c;
            h[i] = hash;
            n[i] = name;
        }
        index = new Index(s, h, n);
    }

    private static int hashLower(byte[] n) {
        int h = 0;
        for (byte b : n) {
            h = 31 * h + toLower(b);
        }
        return h ^ (h >>> 16);
    }

    private static int toLower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    /** Finds a command by its name bytes, case-insensitively; null if unknown. */
    public Command lookup(byte[] name) {
        Index x = index;
        Command[] s = x.slots;
        int[] hashes = x.hashes;
        byte[][] names = x.names;
        int mask = s.length - 1;
        int h = hashLower(name);
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Command c = s[i];
            if (c == null) {
                return null;
            }
            if (hashes[i] == h && equalsLower(names[i], name)) {
                return c;
            }
        }
    }

    private static boolean equalsLower(byte[] lower, byte[] name) {
        if (lower.length != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            if (lower[i] != toLower(name[i])) {
                return false;
            }
        }
        return true;
    }

    public Command get(String name) {
        return commands.get(name.toLowerCase(Locale.ROOT));
    }

    /** Looks up "name" or "parent|sub". */
    public Command getFull(String fullName) {
        String lower = fullName.toLowerCase(Locale.ROOT);
        int bar = lower.indexOf('|');
        if (bar < 0) {
            return commands.get(lower);
        }
        Command p = commands.get(lower.substring(0, bar));
        return p == null ? null : p.subcommand(lower.substring(bar + 1));
    }

    public Collection<Command> all() {
        return Collections.unmodifiableCollection(commands.values());
    }

    public int size() {
        return commands.size();
    }
}
