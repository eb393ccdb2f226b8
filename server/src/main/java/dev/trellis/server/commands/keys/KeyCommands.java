package dev.trellis.server.commands.keys;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.types.Values;

/** Generic key commands: DEL, UNLINK, EXISTS, TYPE, TTL family. */
public final class KeyCommands implements CommandGroup {
    @Override
    public void register(Server server, CommandTable t) {
        t.bind("del", KeyCommands::del);
        t.bind("unlink", KeyCommands::del);
        t.bind("exists", KeyCommands::exists);
        t.bind("type", KeyCommands::type);
        t.bind("ttl", c -> ttl(c, 1000));
        t.bind("pttl", c -> ttl(c, 1));
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
        long n = 0;
        for (int i = 1; i < c.argc; i++) {
            if (c.db().exists(c.arg(i))) {
                n++;
            }
        }
        c.reply().integer(n);
    }

    static void type(Client c) {
        KeyEntry e = c.db().lookup(c.arg(1));
        c.reply().simple(e == null ? "none" : Values.typeName(e.value()));
    }

    static void ttl(Client c, long unit) {
        KeyEntry e = c.db().lookup(c.arg(1));
        if (e == null) {
            c.reply().integer(-2);
        } else if (e.expireAt() == KeyEntry.NO_EXPIRE) {
            c.reply().integer(-1);
        } else {
            long left = Math.max(0, e.expireAt() - c.server().keyspace().now());
            c.reply().integer(unit == 1 ? left : (left + 500) / 1000);
        }
    }
}
