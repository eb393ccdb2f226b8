package dev.trellis.server.commands.pubsub;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.pubsub.PubSub;
import dev.trellis.server.pubsub.PubSub.Kind;
import dev.trellis.server.tx.Transactions;
import java.util.List;

/** SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, their unsubscribes, PUBLISH, SPUBLISH and PUBSUB. */
public final class PubSubCommands implements CommandGroup {
    private static final String[] HELP = {
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    List the channels that have subscribers, optionally only those matching <pattern>.",
        "NUMPAT",
        "    Count the patterns clients are subscribed to.",
        "NUMSUB [<channel> ...]",
        "    Count the subscribers of each channel (pattern subscriptions not included).",
        "SHARDCHANNELS [<pattern>]",
        "    List the shard channels that have subscribers, optionally matching <pattern>.",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Count the subscribers of each shard channel.",
        "HELP",
        "    Print this help.",
    };

    @Override
    public void register(Server server, CommandTable t) {
        t.bind("subscribe", c -> subscribe(c, Kind.CHANNEL));
        t.bind("ssubscribe", c -> subscribe(c, Kind.SHARD));
        t.bind("psubscribe", PubSubCommands::psubscribe);
        t.bind("unsubscribe", c -> unsubscribe(c, Kind.CHANNEL));
        t.bind("sunsubscribe", c -> unsubscribe(c, Kind.SHARD));
        t.bind("punsubscribe", PubSubCommands::punsubscribe);
        t.bind("publish", c -> c.reply().integer(c.server().pubsub().publish(Kind.CHANNEL, c.arg(1), c.arg(2))));
        t.bind("spublish", c -> c.reply().integer(c.server().pubsub().publish(Kind.SHARD, c.arg(1), c.arg(2))));
        t.bind("pubsub|channels", c -> channels(c, Kind.CHANNEL));
        t.bind("pubsub|shardchannels", c -> channels(c, Kind.SHARD));
        t.bind("pubsub|numsub", c -> numsub(c, Kind.CHANNEL));
        t.bind("pubsub|shardnumsub", c -> numsub(c, Kind.SHARD));
        t.bind("pubsub|numpat", c -> c.reply().integer(c.server().pubsub().patternCount()));
        t.bind("pubsub|help", PubSubCommands::help);
    }

    /** Clients that need a reply per command (scripts, module calls) cannot enter pub/sub mode. */
    private static boolean denyBlocking(Client c) {
        return c.isInternal() || Transactions.inMulti(c);
    }

    static void subscribe(Client c, Kind kind) {
        // SUBSCRIBE stays allowed inside MULTI for compatibility; SSUBSCRIBE does not.
        boolean denied = kind == Kind.SHARD ? denyBlocking(c) : c.isInternal() && !Transactions.inMulti(c);
        if (denied) {
            c.reply().error("ERR " + c.cmd.name().toUpperCase() + " isn't allowed for a DENY BLOCKING client");
            return;
        }
        PubSub ps = c.server().pubsub();
        for (int i = 1; i < c.argc; i++) {
            ps.subscribe(c, kind, c.arg(i));
        }
    }

    static void psubscribe(Client c) {
        if (c.isInternal() && !Transactions.inMulti(c)) {
            c.reply().error("ERR PSUBSCRIBE isn't allowed for a DENY BLOCKING client");
            return;
        }
        PubSub ps = c.server().pubsub();
        for (int i = 1; i < c.argc; i++) {
            ps.psubscribe(c, c.arg(i));
        }
    }

    static void unsubscribe(Client c, Kind kind) {
        PubSub ps = c.server().pubsub();
        if (c.argc == 1) {
            ps.unsubscribeAll(c, kind, true);
            return;
        }
        for (int i = 1; i < c.argc; i++) {
            ps.unsubscribe(c, kind, c.arg(i), true);
        }
    }

    static void punsubscribe(Client c) {
        PubSub ps = c.server().pubsub();
        if (c.argc == 1) {
            ps.punsubscribeAll(c, true);
            return;
        }
        for (int i = 1; i < c.argc; i++) {
            ps.punsubscribe(c, c.arg(i), true);
        }
    }

    static void channels(Client c, Kind kind) {
        if (c.argc > 3) {
            c.reply().error("ERR unknown subcommand or wrong number of arguments for '" + c.argString(1)
                    + "'. Try PUBSUB HELP.");
            return;
        }
        List<byte[]> names = c.server().pubsub().channels(kind, c.argc == 3 ? c.arg(2) : null);
        c.reply().array(names.size());
        for (byte[] n : names) {
            c.reply().bulk(n);
        }
    }

    static void numsub(Client c, Kind kind) {
        PubSub ps = c.server().pubsub();
        c.reply().array((c.argc - 2) * 2L);
        for (int i = 2; i < c.argc; i++) {
            c.reply().bulk(c.arg(i));
            c.reply().integer(ps.subscribers(kind, c.arg(i)));
        }
    }

    static void help(Client c) {
        c.reply().array(HELP.length);
        for (String line : HELP) {
            c.reply().simple(line);
        }
    }
}
