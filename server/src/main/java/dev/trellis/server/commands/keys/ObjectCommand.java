package dev.trellis.server.commands.keys;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.AccessClock;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.types.Values;
import java.util.Locale;

/** OBJECT ENCODING | REFCOUNT | IDLETIME | FREQ | HELP. */
final class ObjectCommand {
    private static final CommandError LFU_SELECTED = CommandError.of("ERR An LFU maxmemory policy is selected, "
            + "idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data "
            + "will take some time to adjust.");
    private static final CommandError LFU_NOT_SELECTED = CommandError.of("ERR An LFU maxmemory policy is not "
            + "selected, access frequency not tracked. Please note that when switching between policies at runtime "
            + "LRU and LFU data will take some time to adjust.");
    private static final String[] HELP = {
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
    };

    private ObjectCommand() {
    }

    /** The key for OBJECT's subcommands: no access-clock update and no keymiss event. */
    private static KeyEntry lookup(Client c) {
        KeyEntry e = c.db().lookupRead(c.arg(2), Database.NO_TOUCH | Database.NO_NOTIFY);
        if (e == null) {
            c.reply().nullBulk();
        }
        return e;
    }

    static void encoding(Client c) {
        KeyEntry e = lookup(c);
        if (e != null) {
            c.reply().bulk(Values.encoding(e));
        }
    }

    static void refcount(Client c) {
        KeyEntry e = lookup(c);
        if (e != null) {
            c.reply().integer(isSharedInteger(c, e) ? Values.SHARED_REFCOUNT : 1);
        }
    }

    /** Redis shares the objects of small integers unless an LRU/LFU policy needs per-key clocks. */
    private static boolean isSharedInteger(Client c, KeyEntry e) {
        if (!(e.value() instanceof byte[] b) || !"int".equals(Values.encoding(e))
                || e.stringEncoding() == KeyEntry.STRING_UNSHARED) {
            return false;
        }
        var config = c.server().config();
        String policy = config.maxmemoryPolicy;
        if (config.maxmemory != 0 && (policy.endsWith("-lru") || policy.endsWith("-lfu"))) {
            return false;
        }
        long v = Long.parseLong(new String(b, java.nio.charset.StandardCharsets.US_ASCII));
        return v >= 0 && v < Values.SHARED_INTEGERS;
    }

    static void idletime(Client c) {
        KeyEntry e = lookup(c);
        if (e != null) {
            if (lfu(c)) {
                throw LFU_SELECTED;
            }
            c.reply().integer(AccessClock.idleSeconds(e.access()));
        }
    }

    static void freq(Client c) {
        KeyEntry e = lookup(c);
        if (e != null) {
            if (!lfu(c)) {
                throw LFU_NOT_SELECTED;
            }
            c.reply().integer(AccessClock.Lfu.current(e.access()));
        }
    }

    private static boolean lfu(Client c) {
        return c.server().keyspace().accessClock() == AccessClock.LFU;
    }

    static void help(Client c) {
        c.reply().array(HELP.length + 3);
        c.reply().simple(c.argString(0).toUpperCase(Locale.ROOT) + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String line : HELP) {
            c.reply().simple(line);
        }
        c.reply().simple("HELP");
        c.reply().simple("    Prints this help.");
    }
}
