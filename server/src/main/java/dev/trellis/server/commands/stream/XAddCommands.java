package dev.trellis.server.commands.stream;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.types.stream.RedisStream;
import dev.trellis.server.types.stream.StreamId;
import java.util.Arrays;

/** XADD and XTRIM. */
final class XAddCommands {
    private XAddCommands() {
    }

    /** XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...] */
    static void xadd(Client c) {
        TrimArgs a = TrimArgs.parse(c, true, StreamKeys.nodeMaxEntries(c));
        int fieldPos = a.idPos + 1;
        int rest = c.argc - fieldPos;
        if (rest < 2 || rest % 2 == 1) {
            throw CommandError.arity(c.commandName());
        }
        if (a.id != null && a.seqGiven && a.id.isZero()) {
            throw CommandError.of("ERR The ID specified in XADD must be greater than 0-0");
        }
        byte[] key = c.arg(1);
        RedisStream s = StreamKeys.write(c, key);
        if (s == null) {
            if (a.noMkStream) {
                c.reply().nullBulk();
                return;
            }
            s = new RedisStream();
            c.db().add(key, s);
        }
        if (s.lastId().equals(StreamId.MAX)) {
            throw CommandError.of("ERR The stream has exhausted the last possible ID, unable to add more items");
        }
        StreamId id;
        try {
            id = s.add(c.argv, fieldPos, rest / 2, a.id, a.seqGiven, StreamKeys.now(c),
                    StreamKeys.nodeMaxBytes(c), StreamKeys.nodeMaxEntries(c));
        } catch (RedisStream.TooLargeException e) {
            throw CommandError.of("ERR Elements are too large to be stored");
        }
        if (id == null) {
            throw CommandError.of("ERR The ID specified in XADD is equal or smaller than the target stream top item");
        }
        byte[] idText = id.toBytes();
        c.reply().bulk(idText);
        StreamKeys.modified(c, key);
        StreamKeys.notify(c, "xadd", key);
        // Readers blocked on an existing stream are woken by XADD itself (Redis signals here).
        c.server().blocking().signalReady(c.db(), key);
        c.server().stats().dirty++;
        byte[][] prop = null;
        if (a.strategy != TrimArgs.Strategy.NONE) {
            if (a.trim(s) > 0) {
                StreamKeys.notify(c, "xtrim", key);
            }
            if (a.approx) {
                prop = Arrays.copyOf(c.argv, c.argc);
                a.rewriteApprox(prop, s);
            }
        }
        if (a.id == null || !a.seqGiven) {
            if (prop == null) {
                prop = Arrays.copyOf(c.argv, c.argc);
            }
            prop[a.idPos] = idText;
        }
        if (prop != null) {
            c.propagateArgv = prop;
        }
    }

    /** XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count] */
    static void xtrim(Client c) {
        TrimArgs a = TrimArgs.parse(c, false, StreamKeys.nodeMaxEntries(c));
        byte[] key = c.arg(1);
        RedisStream s = StreamKeys.write(c, key);
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        long deleted = a.trim(s);
        if (deleted > 0) {
            StreamKeys.notify(c, "xtrim", key);
            if (a.approx) {
                byte[][] prop = Arrays.copyOf(c.argv, c.argc);
                a.rewriteApprox(prop, s);
                c.propagateArgv = prop;
            }
            StreamKeys.modified(c, key);
            c.server().stats().dirty += deleted;
        }
        c.reply().integer(deleted);
    }
}
