package dev.trellis.server.persist.aof;

import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.persist.CommandSink;
import dev.trellis.server.persist.rdb.RdbOutput;
import dev.trellis.server.persist.rdb.RdbSnapshot;
import dev.trellis.server.persist.rdb.ValueCodec;
import java.nio.charset.StandardCharsets;

/**
 * The AOF base in command form (aof-use-rdb-preamble no): SELECT per database, then the
 * commands that rebuild each key (SET, RPUSH, SADD, ZADD, HSET, XADD...) and PEXPIREAT for its
 * TTL, as Redis's rewriteAppendOnlyFileRio writes them.
 */
final class AofFormat implements RdbSnapshot.Format {
    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SET = "SET".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PEXPIREAT = "PEXPIREAT".getBytes(StandardCharsets.US_ASCII);
    private final boolean timestamp;
    private final AofBuffer buf = new AofBuffer();
    private final java.util.function.Predicate<String> known;

    AofFormat(boolean timestamp, java.util.function.Predicate<String> known) {
        this.timestamp = timestamp;
        this.known = known;
    }

    private void emit(RdbOutput out, byte[]... argv) {
        buf.clear();
        buf.command(argv, argv.length);
        out.writeRaw(buf.array(), 0, buf.length());
    }

    @Override
    public void header(RdbOutput out) {
        if (timestamp) {
            out.writeRaw(("#TS:" + System.currentTimeMillis() / 1000 + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static final byte[] FUNCTION = "FUNCTION".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LOAD = "LOAD".getBytes(StandardCharsets.US_ASCII);

    /** Libraries as FUNCTION LOAD commands, as Redis's AOF rewrite writes them. */
    @Override
    public void functions(RdbOutput out, java.util.List<byte[]> codes) {
        for (byte[] code : codes) {
            emit(out, FUNCTION, LOAD, code);
        }
    }

    @Override
    public void selectDb(RdbOutput out, int db) {
        emit(out, SELECT, Integer.toString(db).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void resizeDb(RdbOutput out, long keys, long expires) {
        // no such thing in command form
    }

    @Override
    public void key(RdbOutput out, KeyEntry e, int db) {
        Object v = e.value();
        if (v instanceof byte[] s) {
            emit(out, SET, e.key(), s);
        } else {
            CommandSink sink = new CommandSink() {
                @Override
                public void command(byte[]... argv) {
                    emit(out, argv);
                }

                @Override
                public boolean supports(String name) {
                    return known.test(name);
                }
            };
            ValueCodec.rewriteAsCommands(sink, e.key(), v);
        }
        if (e.expireAt() != KeyEntry.NO_EXPIRE) {
            emit(out, PEXPIREAT, e.key(), Long.toString(e.expireAt()).getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Override
    public void trailer(RdbOutput out, boolean checksum) {
        // nothing follows the commands
    }
}
