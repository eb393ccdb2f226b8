package dev.trellis.server.commands.zset;

import dev.trellis.server.command.CommandError;
import dev.trellis.server.types.set.RedisSet;
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
        if (value == null || value instanceof ZSet || value instanceof RedisSet) {
            return new SetOpSource(value);
        }
        throw CommandError.WRONGTYPE;
    }

    long size() {
        if (value instanceof ZSet z) {
            return z.size();
        }
        return value instanceof RedisSet s ? s.size() : 0;
    }

    void forEach(EntryVisitor v) {
        if (value instanceof ZSet z) {
            z.forEach(v);
        } else if (value instanceof RedisSet s) {
            for (RedisSet.Cursor cur = s.cursor(); cur.next(); ) {
                v.accept(cur.bytes(), 1.0);
            }
        }
    }

    /** The member's score (1 for set members), or NaN when absent. */
    double score(byte[] member) {
        if (value instanceof ZSet z) {
            return z.score(member);
        }
        return value instanceof RedisSet s && s.contains(member) ? 1.0 : Double.NaN;
    }
}
