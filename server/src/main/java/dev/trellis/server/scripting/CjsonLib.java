package dev.trellis.server.scripting;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The {@code cjson} library Redis bundles (lua-cjson 2.1 behaviour): encode with cjson's
 * number format ({@code %.14g}), escaping and array detection, decode to tables with
 * {@code cjson.null} for JSON null.
 */
final class CjsonLib {
    /** cjson.null: a light userdata NULL in C; one sentinel here. */
    static final LuaUserdata NULL = new LuaUserdata(new Object());
    private static final int DEFAULT_DEPTH = 1000;

    private int encodeMaxDepth = DEFAULT_DEPTH;
    private int decodeMaxDepth = DEFAULT_DEPTH;
    private int precision = 14;
    private boolean encodeInvalidNumbers;

    static LuaTable create() {
        CjsonLib lib = new CjsonLib();
        LuaTable t = new LuaTable();
        t.rawset("encode", LuaFunctions.of("encode", lib::encode));
        t.rawset("decode", LuaFunctions.of("decode", lib::decode));
        t.rawset("null", NULL);
        t.rawset("encode_max_depth", LuaFunctions.of("encode_max_depth", a -> {
            if (!a.arg1().isnil()) {
                lib.encodeMaxDepth = a.checkint(1);
            }
            return LuaValue.valueOf(lib.encodeMaxDepth);
        }));
        t.rawset("decode_max_depth", LuaFunctions.of("decode_max_depth", a -> {
            if (!a.arg1().isnil()) {
                lib.decodeMaxDepth = a.checkint(1);
            }
            return LuaValue.valueOf(lib.decodeMaxDepth);
        }));
        t.rawset("encode_number_precision", LuaFunctions.of("encode_number_precision", a -> {
            if (!a.arg1().isnil()) {
                int p = a.checkint(1);
                if (p < 1 || p > 14) {
                    throw new LuaError("bad argument #1 to '?' (expected integer between 1 and 14)");
                }
                lib.precision = p;
            }
            return LuaValue.valueOf(lib.precision);
        }));
        t.rawset("encode_keep_buffer", LuaFunctions.of("encode_keep_buffer", a -> LuaValue.TRUE));
        t.rawset("encode_sparse_array", LuaFunctions.of("encode_sparse_array",
                a -> LuaValue.varargsOf(new LuaValue[] {LuaValue.FALSE, LuaValue.valueOf(2), LuaValue.valueOf(10)})));
        t.rawset("encode_invalid_numbers", LuaFunctions.of("encode_invalid_numbers", a -> {
            if (!a.arg1().isnil()) {
                lib.encodeInvalidNumbers = a.arg1().toboolean();
            }
            return LuaValue.valueOf(lib.encodeInvalidNumbers);
        }));
        t.rawset("decode_invalid_numbers", LuaFunctions.of("decode_invalid_numbers", a -> LuaValue.TRUE));
        t.rawset("_NAME", LuaValue.valueOf("cjson"));
        t.rawset("_VERSION", LuaValue.valueOf("2.1.0"));
        return t;
    }

    // --- encode -----------------------------------------------------------------------

    private Varargs encode(Varargs a) {
        if (a.narg() != 1) {
            throw new LuaError("bad argument #1 to 'encode' (expected 1 argument)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        value(out, a.arg1(), 0);
        return LuaString.valueOf(out.toByteArray());
    }

    private void value(ByteArrayOutputStream out, LuaValue v, int depth) {
        switch (v.type()) {
            case LuaValue.TSTRING -> string(out, v.checkstring());
            case LuaValue.TNUMBER -> number(out, v.todouble());
            case LuaValue.TBOOLEAN -> ascii(out, v.toboolean() ? "true" : "false");
            case LuaValue.TNIL -> ascii(out, "null");
            case LuaValue.TTABLE -> {
                if (depth + 1 > encodeMaxDepth) {
                    throw new LuaError("Cannot serialise, excessive nesting (" + (depth + 1) + ")");
                }
                table(out, (LuaTable) v, depth + 1);
            }
            case LuaValue.TUSERDATA, LuaValue.TLIGHTUSERDATA -> {
                if (v == NULL) {
                    ascii(out, "null");
                } else {
                    throw new LuaError("Cannot serialise userdata: type not supported");
                }
            }
            default -> throw new LuaError("Cannot serialise " + v.typename() + ": type not supported");
        }
    }

    private void number(ByteArrayOutputStream out, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            if (!encodeInvalidNumbers) {
                throw new LuaError("Cannot serialise number: must not be NaN or Inf");
            }
            ascii(out, Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf");
            return;
        }
        ascii(out, NumberFormat.g(d, precision));
    }

    private void table(ByteArrayOutputStream out, LuaTable t, int depth) {
        int len = arrayLength(t);
        if (len >= 0) {
            out.write('[');
            for (int i = 1; i <= len; i++) {
                if (i > 1) {
                    out.write(',');
                }
                value(out, t.rawget(i), depth);
            }
            out.write(']');
            return;
        }
        out.write('{');
        boolean first = true;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            if (!first) {
                out.write(',');
            }
            first = false;
            if (k.type() == LuaValue.TSTRING) {
                string(out, k.checkstring());
            } else if (k.type() == LuaValue.TNUMBER) {
                out.write('"');
                ascii(out, NumberFormat.g(k.todouble(), precision));
                out.write('"');
            } else {
                throw new LuaError("Cannot serialise " + k.typename() + ": table key must be a number or string");
            }
            out.write(':');
            value(out, n.arg(2), depth);
        }
        out.write('}');
    }

    /** The array length when every key is a positive integer and the array is not too sparse, else -1. */
    private static int arrayLength(LuaTable t) {
        int max = 0;
        int items = 0;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            if (k.type() != LuaValue.TNUMBER) {
                return -1;
            }
            double d = k.todouble();
            if (d != Math.rint(d) || d < 1) {
                return -1;
            }
            if (d > max) {
                max = (int) Math.min(d, Integer.MAX_VALUE);
            }
            items++;
        }
        // cjson's default sparse-array rule: ratio 2, safe up to 10 elements.
        if (max > 10 && max > items * 2) {
            throw new LuaError("Cannot serialise table: excessively sparse array");
        }
        return max;
    }

    private static void string(ByteArrayOutputStream out, LuaString s) {
        out.write('"');
        for (int i = 0; i < s.m_length; i++) {
            int c = s.m_bytes[s.m_offset + i] & 0xff;
            switch (c) {
                case '"' -> ascii(out, "\\\"");
                case '\\' -> ascii(out, "\\\\");
                case '/' -> ascii(out, "\\/");
                case '\b' -> ascii(out, "\\b");
                case '\f' -> ascii(out, "\\f");
                case '\n' -> ascii(out, "\\n");
                case '\r' -> ascii(out, "\\r");
                case '\t' -> ascii(out, "\\t");
                default -> {
                    if (c < 32 || c == 127) {
                        ascii(out, String.format("\\u%04x", c));
                    } else {
                        out.write(c);
                    }
                }
            }
        }
        out.write('"');
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        out.write(b, 0, b.length);
    }

    // --- decode -----------------------------------------------------------------------

    private Varargs decode(Varargs a) {
        if (a.narg() != 1) {
            throw new LuaError("bad argument #1 to 'decode' (expected 1 argument)");
        }
        LuaString s = a.checkstring(1);
        Decoder d = new Decoder(java.util.Arrays.copyOfRange(s.m_bytes, s.m_offset, s.m_offset + s.m_length), decodeMaxDepth);
        LuaValue v = d.value(0);
        d.skipSpace();
        if (d.pos < d.b.length) {
            throw d.unexpected("the end");
        }
        return v;
    }

    private static final class Decoder {
        final byte[] b;
        final int maxDepth;
        int pos;

        Decoder(byte[] b, int maxDepth) {
            this.b = b;
            this.maxDepth = maxDepth;
        }

        void skipSpace() {
            while (pos < b.length && (b[pos] == ' ' || b[pos] == '\t' || b[pos] == '\n' || b[pos] == '\r')) {
                pos++;
            }
        }

        LuaError unexpected(String expected) {
            String found;
            if (pos >= b.length) {
                found = "T_END";
            } else {
                found = switch (b[pos]) {
                    case '{' -> "T_OBJ_BEGIN";
                    case '}' -> "T_OBJ_END";
                    case '[' -> "T_ARR_BEGIN";
                    case ']' -> "T_ARR_END";
                    case ',' -> "T_COMMA";
                    case ':' -> "T_COLON";
                    default -> "invalid token";
                };
            }
            return new LuaError("Expected " + expected + " but found " + found + " at character " + (pos + 1));
        }

        LuaValue value(int depth) {
            skipSpace();
            if (pos >= b.length) {
                throw unexpected("value");
            }
            byte c = b[pos];
            switch (c) {
                case '{': {
                    if (depth + 1 > maxDepth) {
                        throw new LuaError("Found too many nested data structures (" + (depth + 1) + ") at character " + (pos + 1));
                    }
                    pos++;
                    LuaTable t = new LuaTable();
                    skipSpace();
                    if (pos < b.length && b[pos] == '}') {
                        pos++;
                        return t;
                    }
                    while (true) {
                        skipSpace();
                        if (pos >= b.length || b[pos] != '"') {
                            throw unexpected("object key string");
                        }
                        LuaValue k = string();
                        skipSpace();
                        if (pos >= b.length || b[pos] != ':') {
                            throw unexpected("colon");
                        }
                        pos++;
                        t.rawset(k, value(depth + 1));
                        skipSpace();
                        if (pos < b.length && b[pos] == ',') {
                            pos++;
                        } else if (pos < b.length && b[pos] == '}') {
                            pos++;
                            return t;
                        } else {
                            throw unexpected("comma or object end");
                        }
                    }
                }
                case '[': {
                    if (depth + 1 > maxDepth) {
                        throw new LuaError("Found too many nested data structures (" + (depth + 1) + ") at character " + (pos + 1));
                    }
                    pos++;
                    LuaTable t = new LuaTable();
                    skipSpace();
                    if (pos < b.length && b[pos] == ']') {
                        pos++;
                        return t;
                    }
                    for (int i = 1; ; i++) {
                        t.rawset(i, value(depth + 1));
                        skipSpace();
                        if (pos < b.length && b[pos] == ',') {
                            pos++;
                        } else if (pos < b.length && b[pos] == ']') {
                            pos++;
                            return t;
                        } else {
                            throw unexpected("comma or array end");
                        }
                    }
                }
                case '"':
                    return string();
                case 't':
                    return word("true", LuaValue.TRUE);
                case 'f':
                    return word("false", LuaValue.FALSE);
                case 'n':
                    return word("null", NULL);
                default:
                    return number();
            }
        }

        private LuaValue word(String w, LuaValue v) {
            if (pos + w.length() <= b.length && new String(b, pos, w.length(), StandardCharsets.US_ASCII).equals(w)) {
                pos += w.length();
                return v;
            }
            throw unexpected("value");
        }

        private LuaValue number() {
            int start = pos;
            while (pos < b.length && "+-0123456789.eExX".indexOf(b[pos]) >= 0) {
                pos++;
            }
            if (pos == start) {
                throw unexpected("value");
            }
            try {
                return LuaValue.valueOf(Double.parseDouble(new String(b, start, pos - start, StandardCharsets.US_ASCII)));
            } catch (NumberFormatException e) {
                pos = start;
                throw unexpected("value");
            }
        }

        private LuaValue string() {
            int start = pos;
            pos++;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            while (true) {
                if (pos >= b.length) {
                    pos = start;
                    throw unexpected("value");
                }
                int c = b[pos++] & 0xff;
                if (c == '"') {
                    return LuaString.valueOf(out.toByteArray());
                }
                if (c != '\\') {
                    out.write(c);
                    continue;
                }
                if (pos >= b.length) {
                    pos = start;
                    throw unexpected("value");
                }
                int e = b[pos++];
                switch (e) {
                    case '"', '\\', '/' -> out.write(e);
                    case 'b' -> out.write('\b');
                    case 'f' -> out.write('\f');
                    case 'n' -> out.write('\n');
                    case 'r' -> out.write('\r');
                    case 't' -> out.write('\t');
                    case 'u' -> {
                        int cp = hex4();
                        if (cp >= 0xD800 && cp <= 0xDBFF && pos + 1 < b.length && b[pos] == '\\' && b[pos + 1] == 'u') {
                            pos += 2;
                            int lo = hex4();
                            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                        }
                        byte[] u = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                        out.write(u, 0, u.length);
                    }
                    default -> {
                        pos = start;
                        throw unexpected("value");
                    }
                }
            }
        }

        private int hex4() {
            if (pos + 4 > b.length) {
                throw unexpected("value");
            }
            int v = Integer.parseInt(new String(b, pos, 4, StandardCharsets.US_ASCII), 16);
            pos += 4;
            return v;
        }
    }
}
