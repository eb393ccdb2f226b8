package dev.trellis.server.commands.keys;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.types.Values;

/**
 * The generic key command group: DEL, UNLINK, EXISTS, TYPE, TOUCH here; expiry, renaming and
 * copying, scanning, database and OBJECT commands in their own classes.
 */
public final class KeyCommands implements CommandGroup {
    @Override
    public void register(Server server, CommandTable t) {
        t.bind("del", KeyCommands::del);
        t.bind("unlink", KeyCommands::del);
        t.bind("exists", KeyCommands::exists);
        t.bind("type", KeyCommands::type);
        t.bind("touch", KeyCommands::touch);

        t.bind("expire", c -> ExpireCommands.expire(c, true, true));
        t.bind("pexpire", c -> ExpireCommands.expire(c, true, false));
        t.bind("expireat", c -> ExpireCommands.expire(c, false, true));
        t.bind("pexpireat", c -> ExpireCommands.expire(c, false, false));
        t.bind("ttl", c -> ExpireCommands.ttl(c, false, false));
        t.bind("pttl", c -> ExpireCommands.ttl(c, true, false));
        t.bind("expiretime", c -> ExpireCommands.ttl(c, false, true));
        t.bind("pexpiretime", c -> ExpireCommands.ttl(c, true, true));
        t.bind("persist", ExpireCommands::persist);

        t.bind("rename", c -> RenameCommands.rename(c, false));
        t.bind("renamenx", c -> RenameCommands.rename(c, true));
        t.bind("copy", RenameCommands::copy);
        t.bind("move", RenameCommands::move);

        t.bind("scan", ScanCommands::scan);
        t.bind("keys", ScanCommands::keys);
        t.bind("randomkey", ScanCommands::randomkey);

        t.bind("select", DatabaseCommands::select);
        t.bind("swapdb", DatabaseCommands::swapdb);
        t.bind("dbsize", DatabaseCommands::dbsize);
        t.bind("flushdb", c -> DatabaseCommands.flush(c, false));
        t.bind("flushall", c -> DatabaseCommands.flush(c, true));

        t.bind("object|encoding", ObjectCommand::encoding);
        t.bind("object|refcount", ObjectCommand::refcount);
        t.bind("object|idletime", ObjectCommand::idletime);
        t.bind("object|freq", ObjectCommand::freq);
        t.bind("object|help", ObjectCommand::help);
    }

    static void del(Client c) {
        Database db = c.db();
        long n = 0;
        for (int i = 1; i < c.argc; i++) {
            if (db.delete(c.arg(i))) {
                n++;
                c.server().keyspace().notify(EventType.GENERIC, "del", c.arg(i), db.id());
            }
        }
        c.server().stats().dirty += n;
        c.reply().integer(n);
    }

    static void exists(Client c) {
        Database db = c.db();
        long n = 0;
        for (int i = 1; i < c.argc; i++) {
            if (db.lookupRead(c.arg(i), Database.NO_TOUCH) != null) {
                n++;
            }
        }
        c.reply().integer(n);
    }

    static void type(Client c) {
        KeyEntry e = c.db().lookupRead(c.arg(1), Database.NO_TOUCH);
        c.reply().simple(e == null ? "none" : Values.typeName(e.value()));
    }

    static void touch(Client c) {
        Database db = c.db();
        long n = 0;
        for (int i = 1; i < c.argc; i++) {
            if (db.lookupRead(c.arg(i)) != null) {
                n++;
            }
        }
        c.reply().integer(n);
    }
}
