package dev.trellis.server.commands.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.KeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Key positions for COMMAND GETKEYS: from the key specs when they are reliable (Redis's rules:
 * a spec that cannot be followed, or is incomplete, makes the whole answer invalid), otherwise
 * from the command's own key finder.
 */
final class KeyPositions {
    /** A key's argument position and the index of the spec that found it (-1 when unknown). */
    record Key(int position, int spec) {
    }

    private KeyPositions() {
    }

    /** The keys, or null when the arguments do not allow finding them. */
    static List<Key> find(Command cmd, byte[][] argv, int argc) {
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
        if (cmd.keyFinder() != null || (specs.isEmpty() && cmd.firstKey() > 0)) {
            int[] pos = cmd.keys(argv, argc);
            if (pos == null) {
                return null;
            }
            List<Key> keys = new ArrayList<>();
            for (int p : pos) {
                keys.add(new Key(p, specs.isEmpty() ? -1 : 0));
            }
            return keys;
        }
        return varFlags ? fromSpecs(cmd, argv, argc) : null;
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
                out.add(new Key(i, j));
            }
            if (s.flags().contains("INCOMPLETE")) {
                return null;
            }
        }
        return out;
    }
}
