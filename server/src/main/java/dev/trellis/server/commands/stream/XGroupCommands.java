package dev.trellis.server.commands.stream;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.commands.server.HelpReply;
import dev.trellis.server.types.stream.Consumer;
import dev.trellis.server.types.stream.ConsumerGroup;
import dev.trellis.server.types.stream.RedisStream;
import dev.trellis.server.types.stream.StreamId;
import java.util.List;

/** XGROUP CREATE / SETID / DESTROY / CREATECONSUMER / DELCONSUMER / HELP, and XSETID. */
final class XGroupCommands {
    private XGroupCommands() {
    }

    /** The state every XGROUP subcommand but HELP starts from (xgroupCommand's prologue). */
    private record Target(RedisStream stream, ConsumerGroup group, boolean mkstream, long entriesRead) {
    }

    private static CommandError subcommandSyntax(Client c) {
        String sub = StreamKeys.text(c.arg(1));
        if (sub.length() > 128) {
            sub = sub.substring(0, 128);
        }
        return CommandError.of("ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try XGROUP HELP.");
    }

    private static Target target(Client c, boolean create, boolean setid, boolean needGroup) {
        boolean mkstream = false;
        long entriesRead = ConsumerGroup.ENTRIES_READ_INVALID;
        int i = 5;
        while (i < c.argc) {
            if (create && c.argIs(i, "mkstream")) {
                mkstream = true;
                i++;
            } else if ((create || setid) && c.argIs(i, "entriesread") && i + 1 < c.argc) {
                entriesRead = c.argLong(i + 1);
                if (entriesRead < 0 && entriesRead != ConsumerGroup.ENTRIES_READ_INVALID) {
                    throw CommandError.of("ERR value for ENTRIESREAD must be positive or -1");
                }
                i += 2;
            } else {
                throw subcommandSyntax(c);
            }
        }
        byte[] key = c.arg(2);
        RedisStream s = StreamKeys.write(c, key);
        ConsumerGroup g = null;
        if (!mkstream) {
            if (s == null) {
                throw CommandError.of("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may"
                        + " want to use the MKSTREAM option to create an empty stream automatically.");
            }
            g = s.group(c.arg(3));
            if (g == null && needGroup) {
                throw CommandError.of("NOGROUP No such consumer group '" + StreamKeys.text(c.arg(3)) + "' for key name '"
                        + StreamKeys.text(key) + "'");
            }
        }
        return new Target(s, g, mkstream, entriesRead);
    }

    /** XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n] */
    static void create(Client c) {
        Target t = target(c, true, false, false);
        if (c.argc > 8) {
            throw subcommandSyntax(c);
        }
        byte[] key = c.arg(2);
        RedisStream s = t.stream();
        StreamId id;
        if (isDollar(c.arg(4))) {
            id = s != null ? s.lastId() : StreamId.MIN;
        } else {
            id = StreamKeys.strictId(c, 4);
        }
        if (s == null) {
            s = new RedisStream();
            c.db().add(key, s);
            StreamKeys.modified(c, key);
        }
        if (s.createGroup(c.arg(3), id, t.entriesRead()) == null) {
            throw CommandError.of("BUSYGROUP Consumer Group name already exists");
        }
        c.reply().ok();
        c.server().stats().dirty++;
        StreamKeys.notify(c, "xgroup-create", key);
    }

    /** XGROUP SETID key group id|$ [ENTRIESREAD n] */
    static void setid(Client c) {
        Target t = target(c, false, true, true);
        if (c.argc != 5 && c.argc != 7) {
            throw subcommandSyntax(c);
        }
        StreamId id = isDollar(c.arg(4)) ? t.stream().lastId() : StreamKeys.id(c, 4, 0);
        t.group().lastId = id;
        t.group().entriesRead = t.entriesRead();
        c.reply().ok();
        c.server().stats().dirty++;
        StreamKeys.notify(c, "xgroup-setid", c.arg(2));
    }

    /** XGROUP DESTROY key group */
    static void destroy(Client c) {
        Target t = target(c, false, false, false);
        if (t.group() == null) {
            c.reply().integer(0);
            return;
        }
        t.stream().destroyGroup(c.arg(3));
        c.reply().integer(1);
        c.server().stats().dirty++;
        StreamKeys.notify(c, "xgroup-destroy", c.arg(2));
        // Blocked XREADGROUP readers of this group are woken to get -NOGROUP (no WATCH effect, as Redis).
        c.server().blocking().signalReady(c.db(), c.arg(2));
    }

    /** XGROUP CREATECONSUMER key group consumer */
    static void createConsumer(Client c) {
        Target t = target(c, false, false, true);
        Consumer created = StreamGroups.createConsumer(c, t.group(), c.arg(4), c.arg(2));
        c.reply().integer(created != null ? 1 : 0);
    }

    /** XGROUP DELCONSUMER key group consumer */
    static void delConsumer(Client c) {
        Target t = target(c, false, false, true);
        Consumer consumer = t.group().consumer(c.arg(4));
        long pending = 0;
        if (consumer != null) {
            pending = t.group().deleteConsumer(consumer);
            c.server().stats().dirty++;
            StreamKeys.notify(c, "xgroup-delconsumer", c.arg(2));
        }
        c.reply().integer(pending);
    }

    static void help(Client c) {
        HelpReply.write(c, "XGROUP", List.of(
                "CREATE <key> <groupname> <id|$> [option]",
                "    Create a new consumer group. Options are:",
                "    * MKSTREAM",
                "      Create the empty stream if it does not exist.",
                "    * ENTRIESREAD entries_read",
                "      Set the group's entries_read counter (internal use).",
                "CREATECONSUMER <key> <groupname> <consumer>",
                "    Create a new consumer in the specified group.",
                "DELCONSUMER <key> <groupname> <consumer>",
                "    Remove the specified consumer.",
                "DESTROY <key> <groupname>",
                "    Remove the specified group.",
                "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
                "    Set the current group ID and entries_read counter."));
    }

    private static boolean isDollar(byte[] a) {
        return a.length == 1 && a[0] == '$';
    }

    /** XSETID key last-id [ENTRIESADDED n] [MAXDELETEDID id] */
    static void xsetid(Client c) {
        StreamId id = StreamKeys.strictId(c, 2);
        StreamId maxDeleted = StreamId.MIN;
        long entriesAdded = -1;
        int i = 3;
        while (i < c.argc) {
            int moreArgs = c.argc - 1 - i;
            if (c.argIs(i, "entriesadded") && moreArgs > 0) {
                entriesAdded = c.argLong(i + 1);
                if (entriesAdded < 0) {
                    throw CommandError.of("ERR entries_added must be positive");
                }
                i += 2;
            } else if (c.argIs(i, "maxdeletedid") && moreArgs > 0) {
                maxDeleted = StreamKeys.strictId(c, i + 1);
                if (id.compareTo(maxDeleted) < 0) {
                    throw CommandError.of("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
                }
                i += 2;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        byte[] key = c.arg(1);
        RedisStream s = StreamKeys.write(c, key);
        if (s == null) {
            throw CommandError.NO_SUCH_KEY;
        }
        if (id.compareTo(s.maxDeletedId()) < 0) {
            throw CommandError.of("ERR The ID specified in XSETID is smaller than current max_deleted_entry_id");
        }
        if (s.length() > 0) {
            if (id.compareTo(s.lastValidId()) < 0) {
                throw CommandError.of("ERR The ID specified in XSETID is smaller than the target stream top item");
            }
            if (entriesAdded != -1 && Long.compareUnsigned(s.length(), entriesAdded) > 0) {
                throw CommandError.of("ERR The entries_added specified in XSETID is smaller than the target stream length");
            }
        }
        s.lastId(id);
        if (entriesAdded != -1) {
            s.entriesAdded(entriesAdded);
        }
        if (!maxDeleted.isZero()) {
            s.maxDeletedId(maxDeleted);
        }
        c.reply().ok();
        c.server().stats().dirty++;
        StreamKeys.notify(c, "xsetid", key);
    }
}
