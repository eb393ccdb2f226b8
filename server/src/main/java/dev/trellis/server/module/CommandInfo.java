package dev.trellis.server.module;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.KeySpec;
import dev.trellis.server.log.ServerLog;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code RedisModule_SetCommandInfo} gives: documentation, arity, key specs and the
 * argument tree. {@link #apply} validates it as Redis does (logging the first problem) and
 * installs it on the command: key specs drive key extraction, the rest goes to the command's
 * metadata for COMMAND INFO/DOCS.
 */
public record CommandInfo(String summary, String complexity, String since, List<History> history, String tips,
                          int arity, List<Spec> keySpecs, List<Arg> args) {

    public record History(String since, String changes) {
    }

    /** A key spec; bsType/fkType use the REDISMODULE_KSPEC_* numbers. */
    public record Spec(String notes, long flags, int bsType, int bsPos, String keyword, int startFrom,
                       int fkType, int fk1, int fk2, int fk3) {
    }

    /** An argument; type uses REDISMODULE_ARG_TYPE_* numbers, flags REDISMODULE_CMD_ARG_*. */
    public record Arg(String name, int type, int keySpecIndex, String token, String summary, String since, int flags,
                      String deprecatedSince, List<Arg> subargs, String displayText) {
    }

    public static final int BS_UNKNOWN = 1;
    public static final int BS_INDEX = 2;
    public static final int BS_KEYWORD = 3;
    public static final int FK_OMITTED = 0;
    public static final int FK_UNKNOWN = 1;
    public static final int FK_RANGE = 2;
    public static final int FK_KEYNUM = 3;

    static final String[] KEY_FLAG_NAMES = {"RO", "RW", "OW", "RM", "ACCESS", "UPDATE", "INSERT", "DELETE",
        "NOT_KEY", "INCOMPLETE", "VARIABLE_FLAGS"};
    /** REDISMODULE_CMD_KEY_* bit for each name above. */
    static final long[] KEY_FLAG_BITS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};
    static final String[] ARG_TYPES = {"string", "integer", "double", "key", "pattern", "unix-time", "pure-token",
        "oneof", "block"};

    /** Key-spec flag names for REDISMODULE_CMD_KEY_* bits, in the order Redis prints them. */
    public static List<String> keyFlagNames(long flags) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < KEY_FLAG_NAMES.length; i++) {
            if ((flags & KEY_FLAG_BITS[i]) != 0) {
                out.add(KEY_FLAG_NAMES[i]);
            }
        }
        return out;
    }

    /** REDISMODULE_CMD_KEY_* bits for key-spec flag names. */
    public static long keyFlagBits(List<String> names) {
        long f = 0;
        for (String n : names) {
            for (int i = 0; i < KEY_FLAG_NAMES.length; i++) {
                if (KEY_FLAG_NAMES[i].equals(n)) {
                    f |= KEY_FLAG_BITS[i];
                }
            }
        }
        return f;
    }

    /** Redis's validation; false (after logging why) when the info is unusable. */
    public boolean valid() {
        if (history != null) {
            for (int j = 0; j < history.size(); j++) {
                if (history.get(j).changes() == null) {
                    return invalid("Invalid command info: history[" + j + "].changes missing");
                }
            }
        }
        if (keySpecs != null) {
            for (int j = 0; j < keySpecs.size(); j++) {
                Spec s = keySpecs.get(j);
                long keyFlags = s.flags & 15;
                long writeFlags = s.flags & (32 | 64 | 128);
                if (Long.bitCount(keyFlags) != 1) {
                    return invalid("Invalid command info: key_specs[" + j + "].flags: Exactly one of the flags RO, RW, OW, RM required");
                }
                if (writeFlags != 0 && Long.bitCount(writeFlags) != 1) {
                    return invalid("Invalid command info: key_specs[" + j + "].flags: INSERT, DELETE and UPDATE are mutually exclusive");
                }
                if (s.bsType == BS_KEYWORD && s.keyword == null) {
                    return invalid("Invalid command info: key_specs[" + j + "].bs.keyword.keyword required when begin_search_type is KEYWORD");
                }
                if (s.bsType < BS_UNKNOWN || s.bsType > BS_KEYWORD) {
                    return invalid("Invalid command info: key_specs[" + j + "].begin_search_type: Invalid value " + s.bsType);
                }
                if (s.fkType < FK_OMITTED || s.fkType > FK_KEYNUM) {
                    return invalid("Invalid command info: key_specs[" + j + "].find_keys_type: Invalid value " + s.fkType);
                }
            }
        }
        return validArgs(args);
    }

    private static boolean validArgs(List<Arg> args) {
        if (args == null) {
            return true;
        }
        for (Arg a : args) {
            if (a.type < 0 || a.type >= ARG_TYPES.length) {
                return invalid("Invalid command info: Argument \"" + a.name + "\": Undefined type " + a.type);
            }
            if (a.type == 6 && a.token == null) {
                return invalid("Invalid command info: Argument \"" + a.name + "\": token required when type is PURE_TOKEN");
            }
            if (a.type == 3) {
                if (a.keySpecIndex < 0) {
                    return invalid("Invalid command info: Argument \"" + a.name + "\": key_spec_index required when type is KEY");
                }
            } else if (a.keySpecIndex != -1 && a.keySpecIndex != 0) {
                return invalid("Invalid command info: Argument \"" + a.name + "\": key_spec_index specified but type isn't KEY");
            }
            if ((a.flags & ~7) != 0) {
                return invalid("Invalid command info: Argument \"" + a.name + "\": Invalid flags");
            }
            if (a.type == 7 || a.type == 8) {
                if (a.subargs == null) {
                    return invalid("Invalid command info: Argument \"" + a.name + "\": subargs required when type is ONEOF or BLOCK");
                }
                if (!validArgs(a.subargs)) {
                    return false;
                }
            } else if (a.subargs != null) {
                return invalid("Invalid command info: Argument \"" + a.name + "\": subargs specified but type isn't ONEOF nor BLOCK");
            }
        }
        return true;
    }

    private static boolean invalid(String msg) {
        ServerLog.get().warning(msg);
        return false;
    }

    /**
     * Installs the info on {@code mc}. Returns false (without changes) when info was already
     * set: Redis refuses to overwrite it.
     */
    public boolean apply(ModuleCommand mc) {
        Command cmd = mc.command();
        if (mc.infoSet) {
            return false;
        }
        mc.infoSet = true;
        ObjectNode meta = (ObjectNode) cmd.meta();
        if (summary != null) {
            meta.put("summary", summary);
        }
        if (complexity != null) {
            meta.put("complexity", complexity);
        }
        if (since != null) {
            meta.put("since", since);
        }
        if (history != null) {
            ArrayNode h = meta.putArray("history");
            for (History e : history) {
                h.addArray().add(e.since).add(e.changes);
            }
        }
        if (tips != null) {
            ArrayNode t = meta.putArray("tips");
            for (String tip : tips.split(" ")) {
                if (!tip.isEmpty()) {
                    t.add(tip);
                }
            }
        }
        if (arity != 0) {
            cmd.arity(arity);
        }
        if (keySpecs != null) {
            List<KeySpec> specs = new ArrayList<>();
            boolean unknown = false;
            for (Spec s : keySpecs) {
                KeySpec ks = toKeySpec(s);
                if (ks == null) {
                    unknown = true;
                } else {
                    specs.add(ks);
                }
            }
            cmd.keySpecs(specs);
            if (unknown) {
                cmd.addFlags(CommandFlags.MOVABLE_KEYS);
            }
            ArrayNode ksj = meta.putArray("key_specs");
            for (Spec s : keySpecs) {
                ksj.add(specJson(meta, s));
            }
        }
        if (args != null) {
            meta.set("arguments", argsJson(meta, args));
        }
        return true;
    }

    /** Our key-spec form, or null for specs with an unknown step (skipped when finding keys). */
    private static KeySpec toKeySpec(Spec s) {
        if (s.bsType == BS_UNKNOWN || s.fkType == FK_UNKNOWN) {
            return null;
        }
        List<String> flags = keyFlagNames(s.flags);
        int pos = s.bsType == BS_INDEX ? s.bsPos : 0;
        String kw = s.bsType == BS_KEYWORD ? s.keyword : null;
        return switch (s.fkType) {
            case FK_OMITTED -> new KeySpec(flags, pos, kw, s.startFrom, true, 0, 1, 0, 0, 1, 1);
            case FK_RANGE -> new KeySpec(flags, pos, kw, s.startFrom, true, s.fk1, Math.max(1, s.fk2), s.fk3, 0, 1, 1);
            default -> new KeySpec(flags, pos, kw, s.startFrom, false, 0, 1, 0, s.fk1, s.fk2, Math.max(1, s.fk3));
        };
    }

    static ObjectNode specJson(ObjectNode factory, Spec s) {
        ObjectNode o = factory.objectNode();
        if (s.notes != null) {
            o.put("notes", s.notes);
        }
        ArrayNode f = o.putArray("flags");
        keyFlagNames(s.flags).forEach(f::add);
        ObjectNode bs = o.putObject("begin_search");
        switch (s.bsType) {
            case BS_INDEX -> bs.putObject("index").put("pos", s.bsPos);
            case BS_KEYWORD -> bs.putObject("keyword").put("keyword", s.keyword).put("startfrom", s.startFrom);
            default -> bs.putObject("unknown");
        }
        ObjectNode fk = o.putObject("find_keys");
        switch (s.fkType) {
            case FK_OMITTED -> fk.putObject("range").put("lastkey", 0).put("step", 1).put("limit", 0);
            case FK_RANGE -> fk.putObject("range").put("lastkey", s.fk1).put("step", s.fk2).put("limit", s.fk3);
            case FK_KEYNUM -> fk.putObject("keynum").put("keynumidx", s.fk1).put("firstkey", s.fk2).put("step", s.fk3);
            default -> fk.putObject("unknown");
        }
        return o;
    }

    private static ArrayNode argsJson(ObjectNode factory, List<Arg> args) {
        ArrayNode out = factory.arrayNode();
        for (Arg a : args) {
            ObjectNode o = out.addObject();
            o.put("name", a.name);
            o.put("type", ARG_TYPES[a.type]);
            if (a.displayText != null) {
                o.put("display_text", a.displayText);
            }
            if (a.type == 3) {
                o.put("key_spec_index", a.keySpecIndex);
            }
            if (a.token != null) {
                o.put("token", a.token);
            }
            if (a.summary != null) {
                o.put("summary", a.summary);
            }
            if (a.since != null) {
                o.put("since", a.since);
            }
            if (a.deprecatedSince != null) {
                o.put("deprecated_since", a.deprecatedSince);
            }
            if (a.flags != 0) {
                ArrayNode f = o.putArray("flags");
                if ((a.flags & 1) != 0) {
                    f.add("optional");
                }
                if ((a.flags & 2) != 0) {
                    f.add("multiple");
                }
                if ((a.flags & 4) != 0) {
                    f.add("multiple_token");
                }
            }
            if (a.subargs != null) {
                o.set("arguments", argsJson(factory, a.subargs));
            }
        }
        return out;
    }
}
