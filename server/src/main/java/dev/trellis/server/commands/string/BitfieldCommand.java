package dev.trellis.server.commands.string;

import dev.trellis.server.client.Client;
import dev.trellis.server.client.Numbers;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * BITFIELD and BITFIELD_RO: typed integers (i1..i64, u1..u63) at arbitrary bit offsets, with
 * GET, SET, INCRBY and the OVERFLOW WRAP|SAT|FAIL policy for the operations that follow it.
 */
final class BitfieldCommand {
    private static final CommandError BAD_TYPE = CommandError.of(
            "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.");
    private static final CommandError BAD_OVERFLOW = CommandError.of("ERR Invalid OVERFLOW type specified");
    private static final CommandError RO_ONLY_GET = CommandError.of("ERR BITFIELD_RO only supports the GET subcommand");

    private static final int GET = 0;
    private static final int SET = 1;
    private static final int INCRBY = 2;
    static final int WRAP = 0;
    static final int SAT = 1;
    static final int FAIL = 2;

    /** One parsed operation. */
    private record Op(int code, long offset, long value, int overflow, int bits, boolean signed) {
    }

    private BitfieldCommand() {
    }

    static void bitfield(Client c, boolean readOnlyCommand) {
        List<Op> ops = new ArrayList<>();
        int overflow = WRAP;
        boolean readOnly = true;
        long highestWrite = 0;
        for (int j = 2; j < c.argc; j++) {
            int remaining = c.argc - j - 1;
            int code;
            if (c.argIs(j, "get") && remaining >= 2) {
                code = GET;
            } else if (c.argIs(j, "set") && remaining >= 3) {
                code = SET;
            } else if (c.argIs(j, "incrby") && remaining >= 3) {
                code = INCRBY;
            } else if (c.argIs(j, "overflow") && remaining >= 1) {
                j++;
                if (c.argIs(j, "wrap")) {
                    overflow = WRAP;
                } else if (c.argIs(j, "sat")) {
                    overflow = SAT;
                } else if (c.argIs(j, "fail")) {
                    overflow = FAIL;
                } else {
                    throw BAD_OVERFLOW;
                }
                continue;
            } else {
                throw CommandError.SYNTAX;
            }
            byte[] type = c.arg(j + 1);
            boolean signed = type.length > 0 && type[0] == 'i';
            if (type.length == 0 || (type[0] != 'i' && type[0] != 'u')) {
                throw BAD_TYPE;
            }
            long bits = Numbers.parseLongOr(java.util.Arrays.copyOfRange(type, 1, type.length), -1, true);
            if (bits < 1 || bits > (signed ? 64 : 63)) {
                throw BAD_TYPE;
            }
            long offset = Bits.offset(c, j + 2, (int) bits);
            long value = 0;
            if (code != GET) {
                readOnly = false;
                highestWrite = Math.max(highestWrite, offset + bits - 1);
                value = c.argLong(j + 3);
            }
            ops.add(new Op(code, offset, value, overflow, (int) bits, signed));
            j += code == GET ? 2 : 3;
        }

        Database db = c.db();
        byte[] v;
        boolean grew = false;
        if (readOnly) {
            v = Strings.of(db.lookupRead(c.arg(1)));
        } else {
            if (readOnlyCommand) {
                throw RO_ONLY_GET;
            }
            boolean[] g = new boolean[1];
            KeyEntry e = Bits.forWrite(c, highestWrite, g);
            v = (byte[]) e.value();
            grew = g[0];
        }

        c.reply().array(ops.size());
        long changes = 0;
        for (Op op : ops) {
            if (op.code == GET) {
                long raw = v == null ? 0 : read(v, op.offset, op.bits);
                c.reply().integer(op.signed ? signExtend(raw, op.bits) : raw);
                continue;
            }
            long old = read(v, op.offset, op.bits);
            if (op.signed) {
                old = signExtend(old, op.bits);
            }
            long[] result = op.signed
                    ? signedUpdate(old, op.value, op.code, op.bits, op.overflow)
                    : unsignedUpdate(old, op.value, op.code, op.bits, op.overflow);
            if (result == null) {
                c.reply().nullBulk();
                continue;
            }
            long stored = result[0];
            c.reply().integer(op.code == INCRBY ? stored : old);
            write(v, op.offset, op.bits, stored);
            if (grew || old != stored) {
                changes++;
            }
        }
        if (changes > 0) {
            c.server().keyspace().signalModified(db, c.arg(1));
            c.server().keyspace().notify(EventType.STRING, "setbit", c.arg(1), db.id());
            c.server().stats().dirty += changes;
        }
    }

    /**
     * The new value of a signed field, or null when it overflows under FAIL. SET stores
     * {@code arg}; INCRBY adds it. Overflow wraps (two's complement in {@code bits}) or
     * saturates at the type's limits.
     */
    private static long[] signedUpdate(long old, long arg, int code, int bits, int overflow) {
        long max = bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1;
        long min = -max - 1;
        long value = code == SET ? arg : old;
        long incr = code == SET ? 0 : arg;
        // Both wrap on overflow exactly like Redis's arithmetic, quirks included.
        long maxIncr = max - value;
        long minIncr = min - value;
        int dir = 0;
        if (value > max || (bits != 64 && incr > maxIncr) || (value >= 0 && incr > 0 && incr > maxIncr)) {
            dir = 1;
        } else if (value < min || (bits != 64 && incr < minIncr) || (value < 0 && incr < 0 && incr < minIncr)) {
            dir = -1;
        }
        if (dir == 0) {
            return new long[] {value + incr};
        }
        return switch (overflow) {
            case FAIL -> null;
            case SAT -> new long[] {dir > 0 ? max : min};
            default -> new long[] {signExtend(value + incr, bits)};
        };
    }

    /** As {@link #signedUpdate} for unsigned fields (values held in a long, bits <= 63). */
    private static long[] unsignedUpdate(long old, long arg, int code, int bits, int overflow) {
        long max = (1L << bits) - 1;
        long value = code == SET ? arg : old;
        long incr = code == SET ? 0 : arg;
        // Redis compares as unsigned 64-bit: a negative SET value is "greater than max".
        long maxIncr = max - value;
        long minIncr = -value;
        int dir = 0;
        if (Long.compareUnsigned(value, max) > 0 || (incr > 0 && incr > maxIncr)) {
            dir = 1;
        } else if (incr < 0 && incr < minIncr) {
            dir = -1;
        }
        if (dir == 0) {
            return new long[] {value + incr};
        }
        return switch (overflow) {
            case FAIL -> null;
            case SAT -> new long[] {dir > 0 ? max : 0};
            default -> new long[] {(value + incr) & max};
        };
    }

    private static long signExtend(long raw, int bits) {
        return bits == 64 ? raw : (raw << (64 - bits)) >> (64 - bits);
    }

    /** Reads {@code bits} bits at bit {@code offset} (big-endian bit order); beyond the end reads 0. */
    private static long read(byte[] v, long offset, int bits) {
        long r = 0;
        for (int i = 0; i < bits; i++) {
            long pos = offset + i;
            long index = pos >>> 3;
            int bit = index < v.length ? (v[(int) index] >> (7 - (int) (pos & 7))) & 1 : 0;
            r = (r << 1) | bit;
        }
        return r;
    }

    private static void write(byte[] v, long offset, int bits, long value) {
        for (int i = 0; i < bits; i++) {
            long bit = (value >>> (bits - 1 - i)) & 1;
            long pos = offset + i;
            int index = (int) (pos >>> 3);
            int mask = 1 << (7 - (int) (pos & 7));
            v[index] = (byte) (bit != 0 ? v[index] | mask : v[index] & ~mask);
        }
    }
}
