package dev.trellis.server.commands.stream;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.commands.server.HelpReply;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.stream.Consumer;
import dev.trellis.server.types.stream.ConsumerGroup;
import dev.trellis.server.types.stream.PendingEntry;
import dev.trellis.server.types.stream.RedisStream;
import dev.trellis.server.types.stream.StreamId;
import java.util.List;
import java.util.Map;

/** XINFO STREAM [FULL [COUNT n]], XINFO GROUPS, XINFO CONSUMERS and XINFO HELP, in Redis 7.2's shapes. */
final class XInfoCommands {
    private XInfoCommands() {
    }

    private static RedisStream stream(Client c) {
        RedisStream s = StreamKeys.read(c, c.arg(2));
        if (s == null) {
            throw CommandError.NO_SUCH_KEY;
        }
        return s;
    }

    private static CommandError subcommandSyntax(Client c) {
        String sub = StreamKeys.text(c.arg(1));
        if (sub.length() > 128) {
            sub = sub.substring(0, 128);
        }
        return CommandError.of("ERR unknown subcommand or wrong number of arguments for '" + sub + "'. Try XINFO HELP.");
    }

    static void help(Client c) {
        HelpReply.write(c, "XINFO", List.of(
                "CONSUMERS <key> <groupname>",
                "    Show consumers of <groupname>.",
                "GROUPS <key>",
                "    Show the stream consumer groups.",
                "STREAM <key> [FULL [COUNT <count>]",
                "    Show information about the stream."));
    }

    /** XINFO CONSUMERS key group */
    static void consumers(Client c) {
        RedisStream s = stream(c);
        ConsumerGroup g = s.group(c.arg(3));
        if (g == null) {
            throw CommandError.of("NOGROUP No such consumer group '" + StreamKeys.text(c.arg(3)) + "' for key name '"
                    + StreamKeys.text(c.arg(2)) + "'");
        }
        Reply r = c.reply();
        long now = StreamKeys.now(c);
        r.array(g.consumers.size());
        for (Consumer consumer : g.consumers.values()) {
            long inactive = consumer.activeTime != -1 ? now - consumer.activeTime : -1;
            long idle = Math.max(0, now - consumer.seenTime);
            r.map(4);
            r.bulk("name");
            r.bulk(consumer.name());
            r.bulk("pending");
            r.integer(consumer.pel.size());
            r.bulk("idle");
            r.integer(idle);
            r.bulk("inactive");
            r.integer(inactive);
        }
    }

    /** XINFO GROUPS key */
    static void groups(Client c) {
        RedisStream s = stream(c);
        Reply r = c.reply();
        if (s.groups() == null) {
            r.emptyArray();
            return;
        }
        r.array(s.groups().size());
        for (ConsumerGroup g : s.groups().values()) {
            r.map(6);
            r.bulk("name");
            r.bulk(g.name());
            r.bulk("consumers");
            r.integer(g.consumers.size());
            r.bulk("pending");
            r.integer(g.pel.size());
            r.bulk("last-delivered-id");
            r.bulk(g.lastId.toBytes());
            entriesReadAndLag(r, s, g);
        }
    }

    private static void entriesReadAndLag(Reply r, RedisStream s, ConsumerGroup g) {
        r.bulk("entries-read");
        if (g.entriesRead != ConsumerGroup.ENTRIES_READ_INVALID) {
            r.integer(g.entriesRead);
        } else {
            r.nullBulk();
        }
        r.bulk("lag");
        long lag = s.lag(g);
        if (lag != RedisStream.LAG_UNKNOWN) {
            r.integer(lag);
        } else {
            r.nullBulk();
        }
    }

    /** XINFO STREAM key [FULL [COUNT count]] */
    static void streamInfo(Client c) {
        RedisStream s = stream(c);
        int optc = c.argc - 3;
        boolean full = optc > 0;
        long count = 10;
        if (full) {
            if (optc != 1 && optc != 3) {
                throw subcommandSyntax(c);
            }
            if (!c.argIs(3, "full")) {
                throw subcommandSyntax(c);
            }
            if (optc == 3) {
                if (!c.argIs(4, "count")) {
                    throw subcommandSyntax(c);
                }
                count = c.argLong(5);
                if (count < 0) {
                    count = 10;
                }
            }
        }
        Reply r = c.reply();
        r.map(full ? 9 : 10);
        r.bulk("length");
        r.integer(s.length());
        r.bulk("radix-tree-keys");
        r.integer(s.nodeCount());
        r.bulk("radix-tree-nodes");
        r.integer(RaxShape.nodeCount(s.nodes().keySet()));
        r.bulk("last-generated-id");
        r.bulk(s.lastId().toBytes());
        r.bulk("max-deleted-entry-id");
        r.bulk(s.maxDeletedId().toBytes());
        r.bulk("entries-added");
        r.integer(s.entriesAdded());
        r.bulk("recorded-first-entry-id");
        r.bulk(s.firstId().toBytes());
        if (!full) {
            r.bulk("groups");
            r.integer(s.groupCount());
            r.bulk("first-entry");
            if (StreamReplies.rawRange(r, s, StreamId.MIN, StreamId.MAX, 1, false) == 0) {
                r.nullBulk();
            }
            r.bulk("last-entry");
            if (StreamReplies.rawRange(r, s, StreamId.MIN, StreamId.MAX, 1, true) == 0) {
                r.nullBulk();
            }
            return;
        }
        r.bulk("entries");
        StreamReplies.range(r, s, null, null, count, false);
        r.bulk("groups");
        if (s.groups() == null) {
            r.emptyArray();
            return;
        }
        r.array(s.groups().size());
        for (ConsumerGroup g : s.groups().values()) {
            r.map(7);
            r.bulk("name");
            r.bulk(g.name());
            r.bulk("last-delivered-id");
            r.bulk(g.lastId.toBytes());
            entriesReadAndLag(r, s, g);
            r.bulk("pel-count");
            r.integer(g.pel.size());
            r.bulk("pending");
            long n = count == 0 ? g.pel.size() : Math.min(count, g.pel.size());
            r.array(n);
            long k = 0;
            for (Map.Entry<StreamId, PendingEntry> e : g.pel.entrySet()) {
                if (k++ == n) {
                    break;
                }
                r.array(4);
                r.bulk(e.getKey().toBytes());
                r.bulk(e.getValue().consumer.name());
                r.integer(e.getValue().deliveryTime);
                r.integer(e.getValue().deliveryCount);
            }
            r.bulk("consumers");
            r.array(g.consumers.size());
            for (Consumer consumer : g.consumers.values()) {
                r.map(5);
                r.bulk("name");
                r.bulk(consumer.name());
                r.bulk("seen-time");
                r.integer(consumer.seenTime);
                r.bulk("active-time");
                r.integer(consumer.activeTime);
                r.bulk("pel-count");
                r.integer(consumer.pel.size());
                r.bulk("pending");
                long m = count == 0 ? consumer.pel.size() : Math.min(count, consumer.pel.size());
                r.array(m);
                long q = 0;
                for (Map.Entry<StreamId, PendingEntry> e : consumer.pel.entrySet()) {
                    if (q++ == m) {
                        break;
                    }
                    r.array(3);
                    r.bulk(e.getKey().toBytes());
                    r.integer(e.getValue().deliveryTime);
                    r.integer(e.getValue().deliveryCount);
                }
            }
        }
    }
}
