package dev.trellis.server.commands.string;

import dev.trellis.server.Server;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.keyspace.Database;

/**
 * The string command group. Strings are {@code byte[]} values; a key's encoding hint records
 * when Redis would hold one as "raw" or never as "int" (see {@code types.Values}).
 */
public final class StringCommands implements CommandGroup {
    @Override
    public void register(Server server, CommandTable t) {
        t.bind("get", GetSetCommands::get);
        t.bind("set", GetSetCommands::set);
        t.bind("setnx", GetSetCommands::setnx);
        t.bind("setex", c -> GetSetCommands.setex(c, false));
        t.bind("psetex", c -> GetSetCommands.setex(c, true));
        t.bind("getset", GetSetCommands::getset);
        t.bind("getdel", GetSetCommands::getdel);
        t.bind("getex", GetSetCommands::getex);
        t.bind("mget", GetSetCommands::mget);
        t.bind("mset", c -> GetSetCommands.mset(c, false));
        t.bind("msetnx", c -> GetSetCommands.mset(c, true));

        t.bind("append", RangeCommands::append);
        t.bind("strlen", RangeCommands::strlen);
        t.bind("getrange", RangeCommands::getrange);
        t.bind("substr", RangeCommands::getrange);
        t.bind("setrange", RangeCommands::setrange);

        t.bind("incr", c -> CounterCommands.incrBy(c, 1));
        t.bind("decr", c -> CounterCommands.incrBy(c, -1));
        t.bind("incrby", c -> CounterCommands.incrBy(c, c.argLong(2)));
        t.bind("decrby", CounterCommands::decrby);
        t.bind("incrbyfloat", CounterCommands::incrByFloat);

        t.bind("lcs", LcsCommand::lcs);

        t.bind("setbit", BitCommands::setbit);
        t.bind("getbit", BitCommands::getbit);
        t.bind("bitcount", BitCommands::bitcount);
        t.bind("bitpos", BitCommands::bitpos);
        t.bind("bitop", BitCommands::bitop);
        t.bind("bitfield", c -> BitfieldCommand.bitfield(c, false));
        t.bind("bitfield_ro", c -> BitfieldCommand.bitfield(c, true));
    }

    /**
     * The string at {@code key} (a read lookup), null if missing; WRONGTYPE for other types.
     * For other groups that read strings (SORT BY, module calls).
     */
    public static byte[] getString(Database db, byte[] key) {
        Object v = db.get(key);
        if (v == null || v instanceof byte[]) {
            return (byte[]) v;
        }
        throw CommandError.WRONGTYPE;
    }
}
