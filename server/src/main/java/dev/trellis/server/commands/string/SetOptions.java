package dev.trellis.server.commands.string;

import dev.trellis.server.client.Client;
import dev.trellis.server.client.Numbers;
import dev.trellis.server.command.CommandError;

/**
 * The options of SET (NX XX GET EX PX EXAT PXAT KEEPTTL) and GETEX (EX PX EXAT PXAT PERSIST).
 * Parsing only checks the syntax; the expire argument is converted later by
 * {@link #expireAt}, because Redis reports a syntax error anywhere in the line before an
 * invalid time.
 */
final class SetOptions {
    static final int NX = 1;
    static final int XX = 1 << 1;
    static final int GET = 1 << 2;
    static final int KEEPTTL = 1 << 3;
    static final int PERSIST = 1 << 4;
    static final int EX = 1 << 5;
    static final int PX = 1 << 6;
    static final int EXAT = 1 << 7;
    static final int PXAT = 1 << 8;
    private static final int ANY_EXPIRE = EX | PX | EXAT | PXAT;

    int flags;
    /** Argument index of the expire time, or -1. */
    int expireArg = -1;

    private SetOptions() {
    }

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    boolean hasExpire() {
        return expireArg >= 0;
    }

    /** No options: shared, never modified (plain SET allocates nothing for its options). */
    private static final SetOptions NONE = new SetOptions();

    /** Parses SET's options from argument 3. */
    static SetOptions forSet(Client c) {
        return c.argc == 3 ? NONE : parse(c, 3, true);
    }

    /** SETEX's and PSETEX's fixed options: EX or PX with the time at argument 2. */
    static SetOptions forSetex(boolean millis) {
        SetOptions o = new SetOptions();
        o.flags = millis ? PX : EX;
        o.expireArg = 2;
        return o;
    }

    /** Parses GETEX's options from argument 2. */
    static SetOptions forGetex(Client c) {
        return parse(c, 2, false);
    }

    private static SetOptions parse(Client c, int from, boolean set) {
        SetOptions o = new SetOptions();
        for (int i = from; i < c.argc; i++) {
            boolean hasNext = i + 1 < c.argc;
            int f = o.flags;
            if (set && c.argIs(i, "nx") && (f & XX) == 0) {
                o.flags |= NX;
            } else if (set && c.argIs(i, "xx") && (f & NX) == 0) {
                o.flags |= XX;
            } else if (set && c.argIs(i, "get")) {
                o.flags |= GET;
            } else if (set && c.argIs(i, "keepttl") && (f & (PERSIST | ANY_EXPIRE)) == 0) {
                o.flags |= KEEPTTL;
            } else if (!set && c.argIs(i, "persist") && (f & (KEEPTTL | ANY_EXPIRE)) == 0) {
                o.flags |= PERSIST;
            } else if (hasNext && (f & (KEEPTTL | PERSIST)) == 0 && expireUnit(c, i, f) != 0) {
                o.flags |= expireUnit(c, i, f);
                o.expireArg = ++i;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        return o;
    }

    /** The expire flag argument {@code i} names, if no other expire flag was given yet. */
    private static int expireUnit(Client c, int i, int flags) {
        int unit;
        if (c.argIs(i, "ex")) {
            unit = EX;
        } else if (c.argIs(i, "px")) {
            unit = PX;
        } else if (c.argIs(i, "exat")) {
            unit = EXAT;
        } else if (c.argIs(i, "pxat")) {
            unit = PXAT;
        } else {
            return 0;
        }
        // Repeating the same unit is allowed (the last one wins); mixing units is not.
        return (flags & ANY_EXPIRE & ~unit) == 0 ? unit : 0;
    }

    /** True for EXAT/PXAT: an absolute time that may already be in the past. */
    boolean absolute() {
        return (flags & (EXAT | PXAT)) != 0;
    }

    /**
     * The absolute expiry time in milliseconds, with Redis's checks: not an integer, or not
     * positive, or overflowing gives the error.
     */
    long expireAt(Client c) {
        long t = c.argLong(expireArg);
        boolean seconds = (flags & (EX | EXAT)) != 0;
        if (t <= 0 || (seconds && t > Long.MAX_VALUE / 1000)) {
            throw invalidExpire(c);
        }
        if (seconds) {
            t *= 1000;
        }
        if ((flags & (EX | PX)) != 0) {
            t += c.server().keyspace().now();
        }
        if (t <= 0) {
            throw invalidExpire(c);
        }
        return t;
    }

    static CommandError invalidExpire(Client c) {
        return CommandError.of("ERR invalid expire time in '" + c.commandName() + "' command");
    }

    static byte[] millis(long ms) {
        return Numbers.toBytes(ms);
    }
}
