package dev.trellis.server.commands.persist;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.persist.Persistence;
import dev.trellis.server.persist.rdb.AccessHints;
import dev.trellis.server.persist.rdb.DumpPayload;
import dev.trellis.server.persist.rdb.LoadContext;
import dev.trellis.server.persist.rdb.RdbException;
import java.nio.charset.StandardCharsets;

/** SAVE, BGSAVE, LASTSAVE, BGREWRITEAOF, DUMP and RESTORE. */
public final class PersistCommands implements CommandGroup {
    private static final CommandError BUSYKEY = CommandError.of("BUSYKEY Target key name already exists.");
    private static final byte[] ABSTTL = "ABSTTL".getBytes(StandardCharsets.US_ASCII);

    @Override
    public void register(Server server, CommandTable t) {
        Persistence p = new Persistence(server);
        t.bind("save", c -> {
            String err = p.save();
            if (err != null) {
                throw CommandError.of(err);
            }
            c.reply().ok();
        });
        t.bind("bgsave", c -> {
            boolean schedule = false;
            if (c.argc > 1) {
                if (c.argc == 2 && c.argIs(1, "schedule")) {
                    schedule = true;
                } else {
                    throw CommandError.SYNTAX;
                }
            }
            String r = p.bgsave(schedule);
            if (r.startsWith("+")) {
                c.reply().simple(r.substring(1));
            } else {
                c.reply().error(r.substring(1));
            }
        });
        t.bind("lastsave", c -> c.reply().integer(p.lastSaveMs() / 1000));
        t.bind("bgrewriteaof", c -> {
            String r = p.aof().bgrewriteCommand();
            if (r.startsWith("+")) {
                c.reply().simple(r.substring(1));
            } else {
                c.reply().error(r.substring(1));
            }
        });
        t.bind("dump", PersistCommands::dump);
        t.bind("restore", c -> restore(c, p));
    }

    private static void dump(Client c) {
        KeyEntry e = c.db().lookup(c.arg(1));
        if (e == null) {
            c.reply().nullBulk();
            return;
        }
        boolean compression = Persistence.of(c.server()).config().compression();
        c.reply().bulk(DumpPayload.create(e.value(), e.key(), c.db().id(), compression));
    }

    private static void restore(Client c, Persistence p) {
        boolean replace = false;
        boolean absTtl = false;
        long idle = -1;
        long freq = -1;
        for (int j = 4; j < c.argc; j++) {
            int more = c.argc - j - 1;
            if (c.argIs(j, "replace")) {
                replace = true;
            } else if (c.argIs(j, "absttl")) {
                absTtl = true;
            } else if (c.argIs(j, "idletime") && more >= 1 && freq == -1) {
                idle = c.argLong(j + 1);
                if (idle < 0) {
                    throw CommandError.of("ERR Invalid IDLETIME value, must be >= 0");
                }
                j++;
            } else if (c.argIs(j, "freq") && more >= 1 && idle == -1) {
                freq = c.argLong(j + 1);
                if (freq < 0 || freq > 255) {
                    throw CommandError.of("ERR Invalid FREQ value, must be >= 0 and <= 255");
                }
                j++;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        Database db = c.db();
        byte[] key = c.arg(1);
        if (!replace && db.lookup(key) != null) {
            throw BUSYKEY;
        }
        long ttl = c.argLong(2);
        if (ttl < 0) {
            throw CommandError.of("ERR Invalid TTL value, must be >= 0");
        }
        byte[] payload = c.arg(3);
        if (!DumpPayload.verify(payload, true)) {
            throw CommandError.of("ERR DUMP payload version or checksum are wrong");
        }
        Object value;
        try {
            String sanitize = p.config().sanitizeDumpPayload();
            LoadContext ctx = new LoadContext(key, db.id(), !sanitize.equals("no"));
            ctx.config = c.server().config();
            value = DumpPayload.read(payload, ctx);
        } catch (RdbException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
            throw CommandError.of("ERR Bad data format");
        }
        boolean deleted = replace && db.delete(key);
        long now = c.server().keyspace().now();
        if (ttl != 0 && !absTtl) {
            ttl += now;
        }
        if (ttl != 0 && ttl <= now) {
            // Already expired: the key is gone (deleted if it was replaced), as Redis does.
            if (deleted) {
                c.propagateArgv = new byte[][] {"DEL".getBytes(StandardCharsets.US_ASCII), key};
                c.server().keyspace().notify(EventType.GENERIC, "del", key, db.id());
                c.server().stats().dirty++;
            }
            c.reply().ok();
            return;
        }
        KeyEntry e = db.add(key, value);
        if (ttl != 0) {
            db.setExpire(e, ttl);
            if (!absTtl) {
                byte[][] argv = java.util.Arrays.copyOf(c.argv, c.argc + 1);
                argv[2] = Long.toString(ttl).getBytes(StandardCharsets.US_ASCII);
                argv[c.argc] = ABSTTL;
                c.propagateArgv = argv;
            }
        }
        AccessHints.apply(c.server().keyspace(), e, idle, (int) freq);
        c.server().keyspace().notify(EventType.GENERIC, "restore", key, db.id());
        c.reply().ok();
        c.server().stats().dirty++;
    }
}
