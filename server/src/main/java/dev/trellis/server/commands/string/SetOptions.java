package dev.trellis.server.commands.string;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.KeyEntry;

/** The options of SET (and GETEX-like expiry arguments): NX XX GET EX PX EXAT PXAT KEEPTTL. */
final class SetOptions {
    boolean nx;
    boolean xx;
    boolean get;
    boolean keepTtl;
    /** 0 none, 1 EX, 2 PX, 3 EXAT, 4 PXAT. */
    int unit;
    long time;

    static SetOptions parse(Client c, int from) {
        SetOptions o = new SetOptions();
        for (int i = from; i < c.argc; i++) {
            boolean hasNext = i + 1 < c.argc;
            if (c.argIs(i, "nx") && !o.xx) {
                o.nx = true;
            } else if (c.argIs(i, "xx") && !o.nx) {
                o.xx = true;
            } else if (c.argIs(i, "get")) {
                o.get = true;
            } else if (c.argIs(i, "keepttl") && o.unit == 0) {
                o.keepTtl = true;
            } else if (hasNext && o.unit == 0 && !o.keepTtl && unitOf(c, i) > 0) {
                o.unit = unitOf(c, i);
                o.time = c.argLong(++i);
            } else {
                throw CommandError.SYNTAX;
            }
        }
        return o;
    }

    private static int unitOf(Client c, int i) {
        if (c.argIs(i, "ex")) {
            return 1;
        }
        if (c.argIs(i, "px")) {
            return 2;
        }
        if (c.argIs(i, "exat")) {
            return 3;
        }
        if (c.argIs(i, "pxat")) {
            return 4;
        }
        return 0;
    }

    boolean relative() {
        return unit == 1 || unit == 2;
    }

    /** The absolute expiry in ms, or NO_EXPIRE; Redis's "invalid expire time" checks. */
    long expireAt(Client c) {
        if (unit == 0) {
            return KeyEntry.NO_EXPIRE;
        }
        String err = "ERR invalid expire time in '" + c.commandName() + "' command";
        if (time <= 0) {
            throw CommandError.of(err);
        }
        long ms = time;
        if (unit == 1 || unit == 3) {
            if (ms > Long.MAX_VALUE / 1000) {
                throw CommandError.of(err);
            }
            ms *= 1000;
        }
        if (unit == 1 || unit == 2) {
            long now = c.server().keyspace().now();
            if (ms > Long.MAX_VALUE - now) {
                throw CommandError.of(err);
            }
            ms += now;
        }
        return ms;
    }
}
