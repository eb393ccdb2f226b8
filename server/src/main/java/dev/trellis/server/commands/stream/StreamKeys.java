package dev.trellis.server.commands.stream;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.persist.Persistence;
import dev.trellis.server.types.stream.RedisStream;
import dev.trellis.server.types.stream.StreamId;
import dev.trellis.server.types.stream.StreamIdParser;
import java.nio.charset.StandardCharsets;

/**
 * Stream key access and helpers shared by the stream commands: lookups with Redis's read and
 * write semantics and type check, ID argument parsing with Redis's error, keyspace events and
 * the node size settings.
 */
public final class StreamKeys {
    static final CommandError INVALID_ID = CommandError.of(StreamIdParser.INVALID);

    private StreamKeys() {
    }

    /** lookupKeyRead: the stream at {@code key} or null (counts hit/miss, keymiss event); WRONGTYPE otherwise. */
    public static RedisStream read(Client c, byte[] key) {
        KeyEntry e = c.db().lookupRead(key);
        return check(e == null ? null : e.value());
    }

    /** lookupKeyWrite: the stream at {@code key} or null; WRONGTYPE for another type. */
    public static RedisStream write(Client c, byte[] key) {
        KeyEntry e = c.db().lookupWrite(key);
        return check(e == null ? null : e.value());
    }

    private static RedisStream check(Object v) {
        if (v == null || v instanceof RedisStream) {
            return (RedisStream) v;
        }
        throw CommandError.WRONGTYPE;
    }

    /** Emits a stream keyspace event for {@code key} in the client's database. */
    public static void notify(Client c, String event, byte[] key) {
        c.server().keyspace().notify(EventType.STREAM, event, key, c.db().id());
    }

    /** Signals an in-place change of {@code key} (WATCH, client tracking). */
    public static void modified(Client c, byte[] key) {
        c.server().keyspace().signalModified(c.db(), key);
    }

    public static long now(Client c) {
        return c.server().keyspace().now();
    }

    public static long nodeMaxBytes(Client c) {
        return c.server().config().streamNodeMaxBytes;
    }

    public static long nodeMaxEntries(Client c) {
        return c.server().config().streamNodeMaxEntries;
    }

    /**
     * True for a client whose commands must be applied as given (a master link or the AOF
     * loader): approximate trims then ignore the work limit, as Redis's mustObeyClient.
     */
    static boolean mustObey(Client c) {
        if ((c.flags & Client.FLAG_MASTER) != 0) {
            return true;
        }
        return c.isInternal() && Persistence.of(c.server()).loading().active();
    }

    /** A strict ID argument ("-" and "+" rejected), missing sequence 0. */
    static StreamId strictId(Client c, int i) {
        StreamId id = StreamIdParser.parse(c.arg(i), 0, true);
        if (id == null) {
            throw INVALID_ID;
        }
        return id;
    }

    /** An ID argument that may be "-" or "+", with the given missing sequence. */
    static StreamId id(Client c, int i, long missingSeq) {
        StreamId id = StreamIdParser.parse(c.arg(i), missingSeq, false);
        if (id == null) {
            throw INVALID_ID;
        }
        return id;
    }

    /**
     * A range bound (streamParseIntervalIDOrReply): "(" before the ID makes it exclusive (then
     * strict), moving the bound one ID inwards; errors when it cannot move.
     */
    static StreamId bound(Client c, int i, boolean isStart) {
        byte[] a = c.arg(i);
        long missing = isStart ? 0 : -1L;
        if (a.length > 1 && a[0] == '(') {
            StreamId id = StreamIdParser.parse(a, 1, a.length - 1, missing, true);
            if (id == null) {
                throw INVALID_ID;
            }
            StreamId moved = isStart ? id.next() : id.previous();
            if (moved == null) {
                throw CommandError.of(isStart ? "ERR invalid start ID for the interval"
                        : "ERR invalid end ID for the interval");
            }
            return moved;
        }
        return id(c, i, missing);
    }

    /** A key or name for an error message, as C's %s prints it (up to the first NUL). */
    static String text(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** A long argument with Redis's "value is not an integer" error. */
    static long longArg(Client c, int i) {
        return c.argLong(i);
    }

    /** A long argument with a custom error message (getLongLongFromObjectOrReply with msg). */
    static long longArg(Client c, int i, String error) {
        try {
            return c.argLong(i);
        } catch (CommandError e) {
            throw CommandError.of("ERR " + error);
        }
    }
}
