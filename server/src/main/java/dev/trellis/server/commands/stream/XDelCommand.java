package dev.trellis.server.commands.stream;

import dev.trellis.server.client.Client;
import dev.trellis.server.types.stream.RedisStream;
import dev.trellis.server.types.stream.StreamId;

/** XDEL key id [id ...] */
final class XDelCommand {
    private XDelCommand() {
    }

    static void xdel(Client c) {
        byte[] key = c.arg(1);
        RedisStream s = StreamKeys.write(c, key);
        if (s == null) {
            c.reply().integer(0);
            return;
        }
        // All IDs are checked before anything is deleted, so the command is all or nothing.
        StreamId[] ids = new StreamId[c.argc - 2];
        for (int j = 2; j < c.argc; j++) {
            ids[j - 2] = StreamKeys.strictId(c, j);
        }
        int deleted = s.deleteEntries(ids);
        if (deleted > 0) {
            StreamKeys.modified(c, key);
            StreamKeys.notify(c, "xdel", key);
            c.server().stats().dirty += deleted;
        }
        c.reply().integer(deleted);
    }
}
