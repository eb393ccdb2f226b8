package dev.trellis.server.commands.stream;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.types.stream.RedisStream;
import dev.trellis.server.types.stream.StreamId;

/** XRANGE, XREVRANGE and XLEN. */
final class XRangeCommands {
    private XRangeCommands() {
    }

    /** XRANGE key start end [COUNT count] / XREVRANGE key end start [COUNT count] */
    static void range(Client c, boolean rev) {
        int startArg = rev ? 3 : 2;
        int endArg = rev ? 2 : 3;
        StreamId start = StreamKeys.bound(c, startArg, true);
        StreamId end = StreamKeys.bound(c, endArg, false);
        long count = -1;
        for (int j = 4; j < c.argc; j++) {
            int additional = c.argc - j - 1;
            if (c.argIs(j, "count") && additional >= 1) {
                count = c.argLong(j + 1);
                if (count < 0) {
                    count = 0;
                }
                j++;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        RedisStream s = StreamKeys.read(c, c.arg(1));
        if (s == null) {
            c.reply().emptyArray();
            return;
        }
        if (count == 0) {
            c.reply().nullArray();
            return;
        }
        StreamReplies.range(c.reply(), s, start, end, count == -1 ? 0 : count, rev);
    }

    /** XLEN key */
    static void xlen(Client c) {
        RedisStream s = StreamKeys.read(c, c.arg(1));
        c.reply().integer(s == null ? 0 : s.length());
    }
}
