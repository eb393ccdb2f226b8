package dev.trellis.server.scripting;

import java.io.ByteArrayOutputStream;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The {@code cmsgpack} library Redis bundles (lua-cmsgpack): MessagePack encoding of Lua
 * values with its choices (integral numbers as the smallest integer, other numbers as float32
 * when exact else float64, tables as arrays when their keys are 1..n, nesting cut at 16 levels
 * as nil) and decoding with pack/unpack/unpack_one/unpack_limit.
 */
final class CmsgpackLib {
    private static final int MAX_NESTING = 16;

    private CmsgpackLib() {
    }

    static LuaTable create() {
        LuaTable t = new LuaTable();
        t.rawset("pack", LuaFunctions.of("pack", CmsgpackLib::pack));
        t.rawset("unpack", LuaFunctions.of("unpack", a -> unpack(a.checkstring(1), 0, 0, false)));
        t.rawset("unpack_one", LuaFunctions.of("unpack_one", a -> unpack(a.checkstring(1), 1, a.optint(2, 0), true)));
        t.rawset("unpack_limit", LuaFunctions.of("unpack_limit",
                a -> unpack(a.checkstring(1), a.checkint(2), a.optint(3, 0), true)));
        t.rawset("_NAME", LuaValue.valueOf("cmsgpack"));
        t.rawset("_VERSION", LuaValue.valueOf("lua-cmsgpack 0.4.0"));
        return t;
    }

    // --- encoding ---------------------------------------------------------------------------

    private static Varargs pack(Varargs a) {
        if (a.narg() == 0) {
            throw new LuaError("MessagePack pack needs input.");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i <= a.narg(); i++) {
            encode(out, a.arg(i), 0);
        }
        return LuaString.valueOf(out.toByteArray());
    }

    private static void encode(ByteArrayOutputStream out, LuaValue v, int level) {
        switch (v.type()) {
            case LuaValue.TSTRING -> bytes(out, v.checkstring());
            case LuaValue.TBOOLEAN -> out.write(v.toboolean() ? 0xc3 : 0xc2);
            case LuaValue.TNUMBER -> number(out, v.todouble());
            case LuaValue.TTABLE -> {
                if (level == MAX_NESTING) {
                    out.write(0xc0);
                } else {
                    table(out, (LuaTable) v, level + 1);
                }
            }
            default -> out.write(0xc0);
        }
    }

    private static void number(ByteArrayOutputStream out, double d) {
        if (!Double.isInfinite(d) && !Double.isNaN(d) && d >= -0x1p63 && d < 0x1p63 && (long) d == d) {
            integer(out, (long) d);
            return;
        }
        float f = (float) d;
        if ((double) f == d || Double.isNaN(d)) {
            out.write(0xca);
            be(out, Float.floatToRawIntBits(f) & 0xffffffffL, 4);
        } else {
            out.write(0xcb);
            be(out, Double.doubleToRawLongBits(d), 8);
        }
    }

    private static void integer(ByteArrayOutputStream out, long n) {
        if (n >= 0) {
            if (n <= 127) {
                out.write((int) n);
            } else if (n <= 0xff) {
                out.write(0xcc);
                be(out, n, 1);
            } else if (n <= 0xffff) {
                out.write(0xcd);
                be(out, n, 2);
            } else if (n <= 0xffffffffL) {
                out.write(0xce);
                be(out, n, 4);
            } else {
                out.write(0xcf);
                be(out, n, 8);
            }
        } else if (n >= -32) {
            out.write((int) (n & 0xff));
        } else if (n >= -128) {
            out.write(0xd0);
            be(out, n, 1);
        } else if (n >= -32768) {
            out.write(0xd1);
            be(out, n, 2);
        } else if (n >= Integer.MIN_VALUE) {
            out.write(0xd2);
            be(out, n, 4);
        } else {
            out.write(0xd3);
            be(out, n, 8);
        }
    }

    private static void bytes(ByteArrayOutputStream out, LuaString s) {
        int len = s.m_length;
        if (len < 32) {
            out.write(0xa0 | len);
        } else if (len <= 0xff) {
            out.write(0xd9);
            be(out, len, 1);
        } else if (len <= 0xffff) {
            out.write(0xda);
            be(out, len, 2);
        } else {
            out.write(0xdb);
            be(out, len, 4);
        }
        out.write(s.m_bytes, s.m_offset, len);
    }

    private static void table(ByteArrayOutputStream out, LuaTable t, int level) {
        long count = 0;
        double max = 0;
        boolean array = true;
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            count++;
            if (array) {
                if (k.type() != LuaValue.TNUMBER || k.todouble() <= 0 || k.todouble() != Math.floor(k.todouble())) {
                    array = false;
                } else if (k.todouble() > max) {
                    max = k.todouble();
                }
            }
        }
        if (array && max == count) {
            int n = (int) count;
            if (n < 16) {
                out.write(0x90 | n);
            } else if (n <= 0xffff) {
                out.write(0xdc);
                be(out, n, 2);
            } else {
                out.write(0xdd);
                be(out, n, 4);
            }
            for (int i = 1; i <= n; i++) {
                encode(out, t.rawget(i), level);
            }
            return;
        }
        int n = (int) count;
        if (n < 16) {
            out.write(0x80 | n);
        } else if (n <= 0xffff) {
            out.write(0xde);
            be(out, n, 2);
        } else {
            out.write(0xdf);
            be(out, n, 4);
        }
        k = LuaValue.NIL;
        while (true) {
            Varargs e = t.next(k);
            if ((k = e.arg1()).isnil()) {
                break;
            }
            encode(out, k, level);
            encode(out, e.arg(2), level);
        }
    }

    private static void be(ByteArrayOutputStream out, long v, int n) {
        for (int i = n - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    // --- decoding ---------------------------------------------------------------------------

    private static final class Cursor {
        final byte[] b;
        int pos;
        final int end;

        Cursor(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        void need(int n) {
            if (end - pos < n) {
                throw new LuaError("Missing bytes in input.");
            }
        }

        long be(int n) {
            need(n);
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 8 | (b[pos++] & 0xff);
            }
            return v;
        }
    }

    /**
     * Decodes up to {@code limit} values (0: all) from {@code offset}; with {@code offsetFirst}
     * the next offset (-1 at the end) comes first, as unpack_one/unpack_limit return it.
     */
    private static Varargs unpack(LuaString s, int limit, int offset, boolean offsetFirst) {
        if (offset < 0 || limit < 0) {
            throw new LuaError("Invalid request to unpack with offset of " + offset + " and limit of " + limit + ".");
        }
        if (offset > s.m_length) {
            throw new LuaError("Start offset " + offset + " greater than input length " + s.m_length + ".");
        }
        Cursor c = new Cursor(s.m_bytes, s.m_offset + offset, s.m_offset + s.m_length);
        java.util.List<LuaValue> values = new java.util.ArrayList<>();
        while (c.pos < c.end && (limit == 0 || values.size() < limit)) {
            values.add(decode(c));
        }
        if (!offsetFirst) {
            return LuaValue.varargsOf(values.toArray(new LuaValue[0]));
        }
        LuaValue[] out = new LuaValue[values.size() + 1];
        out[0] = LuaValue.valueOf(c.pos >= c.end ? -1 : c.pos - s.m_offset);
        for (int i = 0; i < values.size(); i++) {
            out[i + 1] = values.get(i);
        }
        return LuaValue.varargsOf(out);
    }

    private static LuaValue decode(Cursor c) {
        c.need(1);
        int t = c.b[c.pos++] & 0xff;
        if (t <= 0x7f) {
            return LuaValue.valueOf(t);
        }
        if (t >= 0xe0) {
            return LuaValue.valueOf((byte) t);
        }
        if ((t & 0xf0) == 0x80) {
            return map(c, t & 0x0f);
        }
        if ((t & 0xf0) == 0x90) {
            return array(c, t & 0x0f);
        }
        if ((t & 0xe0) == 0xa0) {
            return str(c, t & 0x1f);
        }
        return switch (t) {
            case 0xc0 -> LuaValue.NIL;
            case 0xc2 -> LuaValue.FALSE;
            case 0xc3 -> LuaValue.TRUE;
            case 0xca -> LuaValue.valueOf((double) Float.intBitsToFloat((int) c.be(4)));
            case 0xcb -> LuaValue.valueOf(Double.longBitsToDouble(c.be(8)));
            case 0xcc -> LuaValue.valueOf((double) c.be(1));
            case 0xcd -> LuaValue.valueOf((double) c.be(2));
            case 0xce -> LuaValue.valueOf((double) c.be(4));
            case 0xcf -> LuaValue.valueOf(unsigned(c.be(8)));
            case 0xd0 -> LuaValue.valueOf((double) (byte) c.be(1));
            case 0xd1 -> LuaValue.valueOf((double) (short) c.be(2));
            case 0xd2 -> LuaValue.valueOf((double) (int) c.be(4));
            case 0xd3 -> LuaValue.valueOf((double) c.be(8));
            case 0xc4, 0xd9 -> str(c, (int) c.be(1));
            case 0xc5, 0xda -> str(c, (int) c.be(2));
            case 0xc6, 0xdb -> str(c, (int) c.be(4));
            case 0xdc -> array(c, (int) c.be(2));
            case 0xdd -> array(c, (int) c.be(4));
            case 0xde -> map(c, (int) c.be(2));
            case 0xdf -> map(c, (int) c.be(4));
            default -> throw new LuaError("Bad data format in input.");
        };
    }

    private static double unsigned(long v) {
        return v >= 0 ? (double) v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    private static LuaValue str(Cursor c, int n) {
        if (n < 0) {
            throw new LuaError("Bad data format in input.");
        }
        c.need(n);
        LuaString s = LuaString.valueOf(java.util.Arrays.copyOfRange(c.b, c.pos, c.pos + n));
        c.pos += n;
        return s;
    }

    private static LuaValue array(Cursor c, int n) {
        LuaTable t = new LuaTable();
        for (int i = 1; i <= n; i++) {
            t.rawset(i, decode(c));
        }
        return t;
    }

    private static LuaValue map(Cursor c, int n) {
        LuaTable t = new LuaTable();
        for (int i = 0; i < n; i++) {
            LuaValue k = decode(c);
            LuaValue v = decode(c);
            if (!k.isnil()) {
                t.rawset(k, v);
            }
        }
        return t;
    }
}
