package dev.trellis.server.commands.zset;

import dev.trellis.server.command.CommandError;
import dev.trellis.server.types.zset.EntryVisitor;
import dev.trellis.server.types.zset.ZSet;

/**
 * One input of ZUNION/ZINTER/ZDIFF: a sorted set, a plain set (every member scoring 1), or a
 * missing key (empty), with its weight.
 */
final class SetOpSource {
    final Object value;
    double weight = 1;

    private SetOpSource(Object value) {
        this.value = value;
    }

    /** Wraps a looked-up value; WRONGTYPE unless it is a sorted set, a set, or missing. */
    static SetOpSource of(Object value) {
        if (value == null || value instanceof ZSet) {
            return new SetOpSource(value);
        }
        throw CommandError.WRONGTYPE;
    }

    long size() {
        return value == null ? 0 : ((ZSet) value).size();
    }

    void forEach(EntryVisitor v) {
        if (value != null) {
            ((ZSet) value).forEach(v);
        }
    }

    /** The member's score (1 for set members), or NaN when absent. */
    double score(byte[] member) {
        return value == null ? Double.NaN : ((ZSet) value).score(member);
    }
}
