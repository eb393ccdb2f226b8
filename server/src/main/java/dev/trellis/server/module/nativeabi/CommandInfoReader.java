package dev.trellis.server.module.nativeabi;

import dev.trellis.server.log.ServerLog;
import dev.trellis.server.module.CommandInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a module's {@code RedisModuleCommandInfo} from native memory. Array elements are
 * stepped with the sizes in the module's {@code RedisModuleCommandInfoVersion}, so a module
 * built against an older or newer header is read with its own struct sizes; fields past the
 * end of the module's struct are not read.
 */
final class CommandInfoReader {
    private CommandInfoReader() {
    }

    /** The info, or null when the version record is missing (logged as Redis does). */
    static CommandInfo read(long info) {
        long version = Native.getLong(info);
        if (version == 0) {
            ServerLog.get().warning("Invalid command info: version missing");
            return null;
        }
        long histSize = Native.getLong(version + 8);
        long specSize = Native.getLong(version + 16);
        long argSize = Native.getLong(version + 24);
        String summary = str(info + 8);
        String complexity = str(info + 16);
        String since = str(info + 24);
        long historyp = Native.getLong(info + 32);
        String tips = str(info + 40);
        int arity = Native.getInt(info + 48);
        long specsp = Native.getLong(info + 56);
        long argsp = Native.getLong(info + 64);

        List<CommandInfo.History> history = null;
        if (historyp != 0) {
            history = new ArrayList<>();
            for (long e = historyp; Native.getLong(e) != 0; e += histSize) {
                history.add(new CommandInfo.History(str(e), histSize >= 16 ? str(e + 8) : null));
            }
        }
        List<CommandInfo.Spec> specs = null;
        if (specsp != 0) {
            specs = new ArrayList<>();
            for (long s = specsp; Native.getInt(s + 16) != 0; s += specSize) {
                int bsType = Native.getInt(s + 16);
                int pos = 0;
                String keyword = null;
                int startFrom = 0;
                if (bsType == CommandInfo.BS_INDEX) {
                    pos = Native.getInt(s + 24);
                } else if (bsType == CommandInfo.BS_KEYWORD) {
                    keyword = str(s + 24);
                    startFrom = Native.getInt(s + 32);
                }
                specs.add(new CommandInfo.Spec(str(s), Native.getLong(s + 8), bsType, pos, keyword, startFrom,
                        Native.getInt(s + 40), Native.getInt(s + 44), Native.getInt(s + 48), Native.getInt(s + 52)));
            }
        }
        List<CommandInfo.Arg> args = argsp == 0 ? null : args(argsp, argSize);
        return new CommandInfo(summary, complexity, since, history, tips, arity, specs, args);
    }

    private static List<CommandInfo.Arg> args(long p, long size) {
        List<CommandInfo.Arg> out = new ArrayList<>();
        for (long a = p; Native.getLong(a) != 0; a += size) {
            long subp = size >= 64 ? Native.getLong(a + 56) : 0;
            out.add(new CommandInfo.Arg(str(a), Native.getInt(a + 8), Native.getInt(a + 12), str(a + 16),
                    str(a + 24), str(a + 32), Native.getInt(a + 40), size >= 56 ? str(a + 48) : null,
                    subp == 0 ? null : args(subp, size), size >= 72 ? str(a + 64) : null));
        }
        return out;
    }

    private static String str(long field) {
        return Native.readCString(Native.getLong(field));
    }
}
