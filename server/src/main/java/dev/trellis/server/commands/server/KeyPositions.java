package dev.trellis.server.commands.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.KeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Key positions for COMMAND GETKEYS(ANDFLAGS) and the module API's GetCommandKeys, in Redis's
 * order of preference: the key specs when they are reliable (a spec that cannot be followed,
 * or is incomplete, makes their answer invalid) and their flags fixed, otherwise the command's
 * own key finder (module getkeys-api), otherwise Redis's built-in rules for the commands whose
 * flags vary with the arguments (SET, BITFIELD).
 */
public final class KeyPositions {
    /** A key's argument position and how it is used (key-spec flag names: RW, ACCESS, ...). */
    public record Key(int position, List<String> flags) {
    }

    private KeyPositions() {
    }

    /** Whether the command has key arguments at all (Redis's doesCommandHaveKeys). */
    public static boolean hasKeys(Command cmd) {
        return CommandMetadata.hasKeys(cmd);
    }

    /** The keys, or null when the arguments do not allow finding them. */
    public static List<Key> find(Command cmd, byte[][] argv, int argc) {
        List<KeySpec> specs = cmd.keySpecs();
        boolean hasKeySpec = false;
        boolean varFlags = false;
        for (KeySpec s : specs) {
            hasKeySpec |= !s.flags().contains("NOT_KEY");
            varFlags |= s.flags().contains("VARIABLE_FLAGS");
        }
        if (hasKeySpec && !varFlags) {
            List<Key> keys = fromSpecs(cmd, argv, argc);
            if (keys != null) {
                return keys;
            }
        }
        if (cmd.keyFinder() != null) {
            Command.FlaggedKeys found = cmd.keyFinder().keysWithFlags(argv, argc);
            if (found == null) {
                return null;
            }
            List<String> fallback = specs.isEmpty() ? List.of() : specs.get(0).flags();
            List<Key> keys = new ArrayList<>();
            for (int i = 0; i < found.positions().length; i++) {
                keys.add(new Key(found.positions()[i], found.flags() == null ? fallback : found.flags().get(i)));
            }
            return keys;
        }
        if (varFlags && cmd.parent() == null) {
            List<String> flags = switch (cmd.name()) {
                case "set" -> setKeyFlags(argv, argc);
                case "bitfield" -> bitfieldKeyFlags(argv, argc);
                default -> null;
            };
            if (flags != null) {
                return argc > 1 ? List.of(new Key(1, flags)) : null;
            }
        }
        if (specs.isEmpty() && cmd.firstKey() > 0) {
            int[] pos = cmd.keys(argv, argc);
            if (pos == null) {
                return null;
            }
            List<Key> keys = new ArrayList<>();
            for (int p : pos) {
                keys.add(new Key(p, List.of()));
            }
            return keys;
        }
        if (cmd.parent() == null && cmd.name().equals("sort")) {
            return sortKeys(argv, argc);
        }
        return varFlags ? fromSpecs(cmd, argv, argc) : null;
    }

    /**
     * SORT's keys (Redis's sortGetKeys, since its STORE spec is incomplete): the sorted key,
     * then the last STORE destination, skipping the arguments of LIMIT, GET and BY.
     */
    private static List<Key> sortKeys(byte[][] argv, int argc) {
        List<Key> keys = new ArrayList<>(2);
        keys.add(new Key(1, List.of("RO", "ACCESS")));
        int store = -1;
        for (int i = 2; i < argc; i++) {
            String a = new String(argv[i], StandardCharsets.UTF_8);
            if (a.equalsIgnoreCase("limit")) {
                i += 2;
            } else if (a.equalsIgnoreCase("get") || a.equalsIgnoreCase("by")) {
                i += 1;
            } else if (a.equalsIgnoreCase("store") && i + 1 < argc) {
                store = i + 1;
            }
        }
        if (store > 0) {
            keys.add(new Key(store, List.of("OW", "UPDATE")));
        }
        return keys;
    }

    /** SET overwrites its key unless GET asks for the old value first (Redis's setGetKeys). */
    private static List<String> setKeyFlags(byte[][] argv, int argc) {
        for (int i = 3; i < argc; i++) {
            if (new String(argv[i], StandardCharsets.UTF_8).equalsIgnoreCase("get")) {
                return List.of("RW", "ACCESS", "UPDATE");
            }
        }
        return List.of("OW", "UPDATE");
    }

    /** BITFIELD only reads when every operation is a well-formed GET or OVERFLOW (bitfieldGetKeys). */
    private static List<String> bitfieldKeyFlags(byte[][] argv, int argc) {
        for (int i = 2; i < argc; i++) {
            int remaining = argc - i - 1;
            String op = new String(argv[i], StandardCharsets.UTF_8);
            if (op.equalsIgnoreCase("get") && remaining >= 2) {
                i += 2;
            } else if (op.equalsIgnoreCase("overflow") && remaining >= 1) {
                i += 1;
            } else {
                return List.of("RW", "ACCESS", "UPDATE");
            }
        }
        return List.of("RO", "ACCESS");
    }

    private static List<Key> fromSpecs(Command cmd, byte[][] argv, int argc) {
        List<KeySpec> specs = cmd.keySpecs();
        JsonNode json = CommandMetadata.meta(cmd).path("key_specs");
        List<Key> out = new ArrayList<>();
        for (int j = 0; j < specs.size(); j++) {
            KeySpec s = specs.get(j);
            if (s.flags().contains("NOT_KEY")) {
                continue;
            }
            JsonNode js = json.path(j);
            if (js.path("begin_search").has("unknown") || js.path("find_keys").has("unknown")) {
                return null;
            }
            int first = 0;
            if (s.bsKeyword() == null) {
                first = s.bsIndex();
            } else {
                int from = s.bsKeywordStart();
                int start = from > 0 ? from : argc + from;
                int end = from > 0 ? argc - 1 : 1;
                for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
                    if (i >= argc || i < 1) {
                        break;
                    }
                    if (new String(argv[i], StandardCharsets.UTF_8).equalsIgnoreCase(s.bsKeyword())) {
                        first = i + 1;
                        break;
                    }
                }
                if (first == 0) {
                    continue; // keyword absent: no keys from this spec
                }
            }
            int last;
            int step;
            if (s.rangeKind()) {
                step = s.keyStep();
                if (s.lastKey() >= 0) {
                    last = first + s.lastKey();
                } else if (s.limit() == 0) {
                    last = argc + s.lastKey();
                } else {
                    last = first + ((argc - first) / s.limit() + s.lastKey());
                }
            } else {
                step = s.keyNumStep();
                if (s.keyNumIndex() >= argc || first + s.keyNumIndex() >= argc) {
                    return null;
                }
                Long n = Args.tryLong(argv[first + s.keyNumIndex()]);
                if (n == null || n < 0) {
                    return null;
                }
                first += s.firstKey();
                last = (int) (first + n - 1);
            }
            if (last >= argc || last < first || first >= argc) {
                return null;
            }
            for (int i = first; i <= last; i += step) {
                if (i >= argc) {
                    if (cmd.has(CommandFlags.MODULE) || cmd.arity() < 0) {
                        continue;
                    }
                    return null;
                }
                out.add(new Key(i, s.flags()));
            }
            if (s.flags().contains("INCOMPLETE")) {
                return null;
            }
        }
        return out;
    }
}
