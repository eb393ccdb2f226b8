package dev.trellis.server.scripting;

import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * A command's reply, as the script client received it in RESP2 or RESP3, turned into the Lua
 * value redis.call returns (Redis's redisProtocolToLuaType): integers become numbers, bulk
 * strings strings, nulls false (RESP3 null: nil), status {ok=...}, errors {err=...},
 * arrays tables, and the RESP3 types tables tagged map, set, double, big_number,
 * verbatim_string. Attributes are skipped.
 */
final class RespToLua {
    static final LuaString OK = LuaString.valueOf("ok");
    static final LuaString MAP = LuaString.valueOf("map");
    static final LuaString SET = LuaString.valueOf("set");
    static final LuaString DOUBLE = LuaString.valueOf("double");
    static final LuaString BIG_NUMBER = LuaString.valueOf("big_number");
    static final LuaString VERBATIM = LuaString.valueOf("verbatim_string");
    static final LuaString FORMAT = LuaString.valueOf("format");
    static final LuaString STRING = LuaString.valueOf("string");

    private final byte[] b;
    private int pos;
    /** Whether the top-level reply was an error (redis.call raises it). */
    boolean error;

    private RespToLua(byte[] b, int pos) {
        this.b = b;
        this.pos = pos;
    }

    /** Parses one reply starting at {@code from}. */
    static RespToLua parser(byte[] resp) {
        return new RespToLua(resp, 0);
    }

    LuaValue next() {
        byte type = b[pos++];
        switch (type) {
            case '+': {
                LuaTable t = new LuaTable();
                t.rawset(OK, LuaString.valueOf(line()));
                return t;
            }
            case '-': {
                error = pos == 1;
                return LuaErrors.counted("-" + new String(line(), StandardCharsets.UTF_8));
            }
            case ':':
                return LuaValue.valueOf((double) Long.parseLong(text()));
            case '$': {
                int n = Integer.parseInt(text());
                if (n < 0) {
                    return LuaValue.FALSE;
                }
                LuaString s = LuaString.valueOf(java.util.Arrays.copyOfRange(b, pos, pos + n));
                pos += n + 2;
                return s;
            }
            case '*': {
                int n = Integer.parseInt(text());
                if (n < 0) {
                    return LuaValue.FALSE;
                }
                LuaTable t = new LuaTable(n, 0);
                for (int i = 1; i <= n; i++) {
                    t.rawset(i, next());
                }
                return t;
            }
            case '%': {
                int n = Integer.parseInt(text());
                LuaTable inner = new LuaTable();
                for (int i = 0; i < n; i++) {
                    LuaValue k = next();
                    LuaValue v = next();
                    if (!k.isnil()) {
                        inner.rawset(k, v);
                    }
                }
                LuaTable t = new LuaTable();
                t.rawset(MAP, inner);
                return t;
            }
            case '~': {
                int n = Integer.parseInt(text());
                LuaTable inner = new LuaTable();
                for (int i = 0; i < n; i++) {
                    LuaValue k = next();
                    if (!k.isnil()) {
                        inner.rawset(k, LuaValue.TRUE);
                    }
                }
                LuaTable t = new LuaTable();
                t.rawset(SET, inner);
                return t;
            }
            case '_':
                text();
                return LuaValue.NIL;
            case '#':
                return LuaValue.valueOf(text().equals("t"));
            case ',': {
                String s = text();
                double d = switch (s) {
                    case "inf" -> Double.POSITIVE_INFINITY;
                    case "-inf" -> Double.NEGATIVE_INFINITY;
                    case "nan", "-nan" -> Double.NaN;
                    default -> Double.parseDouble(s);
                };
                LuaTable t = new LuaTable();
                t.rawset(DOUBLE, LuaValue.valueOf(d));
                return t;
            }
            case '(': {
                LuaTable t = new LuaTable();
                t.rawset(BIG_NUMBER, LuaString.valueOf(line()));
                return t;
            }
            case '=': {
                int n = Integer.parseInt(text());
                byte[] all = java.util.Arrays.copyOfRange(b, pos, pos + n);
                pos += n + 2;
                LuaTable inner = new LuaTable();
                inner.rawset(STRING, LuaString.valueOf(java.util.Arrays.copyOfRange(all, Math.min(4, n), n)));
                inner.rawset(FORMAT, LuaString.valueOf(java.util.Arrays.copyOf(all, Math.min(3, n))));
                LuaTable t = new LuaTable();
                t.rawset(VERBATIM, inner);
                return t;
            }
            case '|': {
                int n = Integer.parseInt(text());
                for (int i = 0; i < 2 * n; i++) {
                    next();
                }
                return next();
            }
            case '>': {
                // A push message on the script client's stream: never expected; read it as an array.
                pos--;
                b[pos] = '*';
                return next();
            }
            default:
                throw new IllegalStateException("unexpected reply type " + (char) type);
        }
    }

    private byte[] line() {
        int start = pos;
        while (b[pos] != '\r') {
            pos++;
        }
        byte[] out = java.util.Arrays.copyOfRange(b, start, pos);
        pos += 2;
        return out;
    }

    private String text() {
        return new String(line(), StandardCharsets.US_ASCII);
    }

    /** Whether any bytes follow the reply parsed so far. */
    boolean more() {
        return pos < b.length;
    }
}
