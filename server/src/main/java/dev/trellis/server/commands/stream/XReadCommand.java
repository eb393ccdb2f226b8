package dev.trellis.server.commands.stream;

import dev.trellis.server.blocking.Blocking;
import dev.trellis.server.blocking.Timeouts;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.types.stream.Consumer;
import dev.trellis.server.types.stream.ConsumerGroup;
import dev.trellis.server.types.stream.RedisStream;
import dev.trellis.server.types.stream.StreamId;
import java.util.ArrayList;
import java.util.List;

/**
 * XREAD and XREADGROUP: parse, serve what is available now through {@link StreamReads}, and
 * otherwise (with BLOCK) block on the keys; the blocking mechanism runs the command again
 * when one of them changes ("$" is first rewritten to the stream's current last ID so the
 * rerun waits for newer entries). XREADGROUP propagates its effects, never itself.
 */
final class XReadCommand {
    private XReadCommand() {
    }

    static void execute(Client c, boolean xreadgroup) {
        try {
            run(c, xreadgroup);
        } finally {
            StreamPropagation.suppressCommand(c);
        }
    }

    private static void run(Client c, boolean xreadgroup) {
        long deadline = -1;
        long count = 0;
        int streamsArg = 0;
        int streamsCount = 0;
        boolean noack = false;
        byte[] groupName = null;
        byte[] consumerName = null;
        for (int i = 1; i < c.argc; i++) {
            int moreArgs = c.argc - i - 1;
            if (c.argIs(i, "block") && moreArgs > 0) {
                i++;
                deadline = Timeouts.millisArgument(c, i);
            } else if (c.argIs(i, "count") && moreArgs > 0) {
                i++;
                count = c.argLong(i);
                if (count < 0) {
                    count = 0;
                }
            } else if (c.argIs(i, "streams") && moreArgs > 0) {
                streamsArg = i + 1;
                streamsCount = c.argc - streamsArg;
                if (streamsCount % 2 != 0) {
                    String name = xreadgroup ? "xreadgroup" : "xread";
                    char symbol = xreadgroup ? '>' : '$';
                    throw CommandError.of("ERR Unbalanced '" + name + "' list of streams: for each stream key an ID or '"
                            + symbol + "' must be specified.");
                }
                streamsCount /= 2;
                break;
            } else if (c.argIs(i, "group") && moreArgs >= 2) {
                if (!xreadgroup) {
                    throw CommandError.of("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                }
                groupName = c.arg(i + 1);
                consumerName = c.arg(i + 2);
                i += 2;
            } else if (c.argIs(i, "noack")) {
                if (!xreadgroup) {
                    throw CommandError.of("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                }
                noack = true;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (streamsArg == 0) {
            throw CommandError.SYNTAX;
        }
        if (xreadgroup && groupName == null) {
            throw CommandError.of("ERR Missing GROUP option for XREADGROUP");
        }
        StreamId[] ids = new StreamId[streamsCount];
        ConsumerGroup[] groups = groupName != null ? new ConsumerGroup[streamsCount] : null;
        for (int i = streamsArg + streamsCount; i < c.argc; i++) {
            int idx = i - streamsArg - streamsCount;
            byte[] key = c.arg(i - streamsCount);
            RedisStream s = StreamKeys.read(c, key);
            if (groupName != null) {
                ConsumerGroup g = s == null ? null : s.group(groupName);
                if (g == null) {
                    throw CommandError.of("NOGROUP No such key '" + StreamKeys.text(key) + "' or consumer group '"
                            + StreamKeys.text(groupName) + "' in XREADGROUP with GROUP option");
                }
                groups[idx] = g;
            }
            byte[] a = c.arg(i);
            if (a.length == 1 && a[0] == '$') {
                if (xreadgroup) {
                    throw CommandError.of("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the"
                            + " history of this consumer by specifying a proper ID, or use the > ID to get new messages."
                            + " The $ ID would just return an empty result set.");
                }
                ids[idx] = s != null ? s.lastId() : StreamId.MIN;
            } else if (a.length == 1 && a[0] == '>') {
                if (!xreadgroup) {
                    throw CommandError.of("ERR The > ID can be specified only when calling XREADGROUP using the GROUP"
                            + " <group> <consumer> option.");
                }
                ids[idx] = StreamId.MAX;
            } else {
                ids[idx] = StreamKeys.strictId(c, i);
            }
        }
        if (serve(c, streamsArg, streamsCount, ids, groups, groupName, consumerName, count, noack)) {
            return;
        }
        if (deadline != -1) {
            if (Blocking.denied(c)) {
                c.reply().nullArray();
                return;
            }
            List<byte[]> keys = new ArrayList<>(streamsCount);
            for (int i = 0; i < streamsCount; i++) {
                keys.add(c.arg(streamsArg + i));
                int idArg = streamsArg + streamsCount + i;
                if (c.arg(idArg).length == 1 && c.arg(idArg)[0] == '$') {
                    c.argv[idArg] = ids[i].toBytes();
                }
            }
            c.server().blocking().blockForKeys(c, keys, "stream", deadline, xreadgroup);
            return;
        }
        c.reply().nullArray();
    }

    /** Serves every stream that has something now; false when none had (nothing was written). */
    private static boolean serve(Client c, int streamsArg, int streamsCount, StreamId[] ids, ConsumerGroup[] groups,
            byte[] groupName, byte[] consumerName, long count, boolean noack) {
        DeferredReply outer = null;
        int served = 0;
        boolean resp2 = c.reply().protocol() < 3;
        for (int i = 0; i < streamsCount; i++) {
            byte[] key = c.arg(streamsArg + i);
            RedisStream s = StreamKeys.read(c, key);
            if (s == null) {
                continue;
            }
            StreamId gt = ids[i];
            boolean serve = false;
            boolean history = false;
            Consumer consumer = null;
            if (groups != null) {
                ConsumerGroup g = groups[i];
                if (!gt.equals(StreamId.MAX)) {
                    serve = true;
                    history = true;
                } else if (s.length() > 0 && s.lastValidId().compareTo(g.lastId) > 0) {
                    serve = true;
                    gt = g.lastId;
                }
                consumer = g.consumer(consumerName);
                if (consumer == null) {
                    consumer = StreamGroups.createConsumer(c, g, consumerName, key);
                    if (noack) {
                        StreamPropagation.createConsumer(c, key, groupName, consumerName);
                    }
                }
                consumer.seenTime = StreamKeys.now(c);
            } else if (StreamReads.hasEntriesAfter(s, gt)) {
                serve = true;
            }
            if (!serve) {
                continue;
            }
            served++;
            if (outer == null) {
                outer = DeferredReply.begin(c.reply());
            }
            if (resp2) {
                c.reply().array(2);
            }
            c.reply().bulk(key);
            if (groups == null) {
                StreamReads.readAfter(c, s, gt, count);
            } else if (history) {
                StreamId start = gt.next();
                StreamReads.readHistory(c, s, consumer, start == null ? StreamId.MIN : start, count);
            } else {
                StreamReads.readNew(c, key, s, groups[i], groupName, consumer, count, noack);
            }
            if (groups != null) {
                c.server().stats().dirty++;
            }
        }
        if (outer == null) {
            return false;
        }
        if (resp2) {
            outer.endArray(served);
        } else {
            outer.endMap(served);
        }
        return true;
    }
}
