package dev.trellis.server.scripting;

import dev.trellis.server.resp.Reply;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * A script's return value as a Redis reply (Redis's luaReplyToRedisReply): strings are bulk
 * strings, numbers integers (truncated), true 1 and false a null under RESP2 (booleans under
 * RESP3 when the script chose it with redis.setresp(3)), tables with an err/ok/double/
 * big_number/verbatim_string/map/set field the matching reply, other tables arrays up to
 * their first nil. Anything else is a null.
 */
final class LuaToReply {
    /** How deep a reply may nest before Redis's "reached lua stack limit" (its Lua stack would run out). */
    static final int MAX_DEPTH = 1000;

    private LuaToReply() {
    }

    /**
     * @param scriptResp the protocol the script selected for its commands (booleans follow it)
     */
    static void write(Reply r, LuaValue v, int scriptResp) {
        write(r, v, scriptResp, 0);
    }

    private static void write(Reply r, LuaValue v, int scriptResp, int depth) {
        if (depth >= MAX_DEPTH) {
            r.error("ERR reached lua stack limit");
            return;
        }
        switch (v.type()) {
            case LuaValue.TSTRING -> {
                LuaString s = v.checkstring();
                r.bulk(s.m_bytes, s.m_offset, s.m_length);
            }
            case LuaValue.TBOOLEAN -> {
                if (scriptResp == 2) {
                    if (v.toboolean()) {
                        r.integer(1);
                    } else {
                        r.nullBulk();
                    }
                } else {
                    r.bool(v.toboolean());
                }
            }
            case LuaValue.TNUMBER -> r.integer(toLong(v.todouble()));
            case LuaValue.TTABLE -> table(r, (LuaTable) v, scriptResp, depth);
            default -> r.nullBulk();
        }
    }

    /** C's (long long) cast of a double on x86-64: truncation, LLONG_MIN when out of range or NaN. */
    static long toLong(double d) {
        if (Double.isNaN(d) || d >= 0x1p63 || d < -0x1p63) {
            return Long.MIN_VALUE;
        }
        return (long) d;
    }

    private static void table(Reply r, LuaTable t, int scriptResp, int depth) {
        LuaValue err = t.rawget(LuaErrors.ERR);
        if (err.type() == LuaValue.TSTRING) {
            error(r, err.checkstring(), t.rawget(LuaErrors.IGNORE_STATS).toboolean());
            return;
        }
        LuaValue ok = t.rawget(RespToLua.OK);
        if (ok.type() == LuaValue.TSTRING) {
            status(r, ok.checkstring());
            return;
        }
        LuaValue dbl = t.rawget(RespToLua.DOUBLE);
        if (dbl.type() == LuaValue.TNUMBER) {
            r.doubleValue(dbl.todouble());
            return;
        }
        LuaValue big = t.rawget(RespToLua.BIG_NUMBER);
        if (big.type() == LuaValue.TSTRING) {
            r.bigNumber(big.tojstring().replace('\r', ' ').replace('\n', ' '));
            return;
        }
        LuaValue verb = t.rawget(RespToLua.VERBATIM);
        if (verb.type() == LuaValue.TTABLE) {
            LuaValue format = verb.rawget(RespToLua.FORMAT);
            LuaValue text = verb.rawget(RespToLua.STRING);
            if (format.type() == LuaValue.TSTRING && text.type() == LuaValue.TSTRING) {
                LuaString s = text.checkstring();
                r.verbatim(format.tojstring(), java.util.Arrays.copyOfRange(s.m_bytes, s.m_offset, s.m_offset + s.m_length));
                return;
            }
        }
        LuaValue map = t.rawget(RespToLua.MAP);
        if (map.type() == LuaValue.TTABLE) {
            LuaTable m = (LuaTable) map;
            r.map(count(m));
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = m.next(k);
                if ((k = n.arg1()).isnil()) {
                    break;
                }
                write(r, k, scriptResp, depth + 1);
                write(r, n.arg(2), scriptResp, depth + 1);
            }
            return;
        }
        LuaValue set = t.rawget(RespToLua.SET);
        if (set.type() == LuaValue.TTABLE) {
            LuaTable s = (LuaTable) set;
            r.set(count(s));
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = s.next(k);
                if ((k = n.arg1()).isnil()) {
                    break;
                }
                write(r, k, scriptResp, depth + 1);
            }
            return;
        }
        int n = 0;
        while (!t.rawget(n + 1).isnil()) {
            n++;
        }
        r.array(n);
        for (int i = 1; i <= n; i++) {
            write(r, t.rawget(i), scriptResp, depth + 1);
        }
    }

    private static int count(LuaTable t) {
        int n = 0;
        LuaValue k = LuaValue.NIL;
        while (!(k = t.next(k).arg1()).isnil()) {
            n++;
        }
        return n;
    }

    /** An error reply of the table's message; errors already counted (a command's own) are not counted again. */
    static void error(Reply r, LuaString msg, boolean alreadyCounted) {
        byte[] b = java.util.Arrays.copyOfRange(msg.m_bytes, msg.m_offset, msg.m_offset + msg.m_length);
        if (!alreadyCounted) {
            r.error(b);
            return;
        }
        int end = b.length;
        while (end > 0 && (b[end - 1] == '\r' || b[end - 1] == '\n')) {
            end--;
        }
        byte[] out = new byte[end + 3];
        out[0] = '-';
        for (int i = 0; i < end; i++) {
            out[i + 1] = b[i] == '\r' || b[i] == '\n' ? (byte) ' ' : b[i];
        }
        out[end + 1] = '\r';
        out[end + 2] = '\n';
        r.raw(out);
    }

    private static void status(Reply r, LuaString s) {
        byte[] out = new byte[s.m_length + 3];
        out[0] = '+';
        for (int i = 0; i < s.m_length; i++) {
            byte b = s.m_bytes[s.m_offset + i];
            out[i + 1] = b == '\r' || b == '\n' ? (byte) ' ' : b;
        }
        out[s.m_length + 1] = '\r';
        out[s.m_length + 2] = '\n';
        r.raw(out);
    }

    static String str(LuaString s) {
        return new String(s.m_bytes, s.m_offset, s.m_length, StandardCharsets.UTF_8);
    }
}
