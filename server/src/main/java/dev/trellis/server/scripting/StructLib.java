package dev.trellis.server.scripting;

import java.io.ByteArrayOutputStream;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The {@code struct} library Redis bundles (Roberto Ierusalimschy's struct): pack, unpack and
 * size of binary records described by a format (endianness {@code < > = !}, integers
 * {@code b B h H l L T i[n] I[n]}, strings {@code c[n] s}, {@code f d}, padding {@code x}).
 */
final class StructLib {
    private StructLib() {
    }

    static LuaTable create() {
        LuaTable t = new LuaTable();
        t.rawset("pack", LuaFunctions.of("pack", StructLib::pack));
        t.rawset("unpack", LuaFunctions.of("unpack", StructLib::unpack));
        t.rawset("size", LuaFunctions.of("size", StructLib::size));
        return t;
    }

    /** Format reading state. */
    private static final class Fmt {
        final String f;
        int i;
        boolean little = true;
        int align = 1;

        Fmt(String f) {
            this.f = f;
        }

        boolean more() {
            return i < f.length();
        }

        int number(int dflt) {
            if (i >= f.length() || !Character.isDigit(f.charAt(i))) {
                return dflt;
            }
            int n = 0;
            while (i < f.length() && Character.isDigit(f.charAt(i))) {
                n = n * 10 + (f.charAt(i++) - '0');
            }
            return n;
        }

        /** The size of option {@code opt} (already read), reading its count. */
        int size(char opt) {
            switch (opt) {
                case 'B', 'b', 'x':
                    return 1;
                case 'H', 'h':
                    return 2;
                case 'L', 'l', 'T':
                    return 8;
                case 'f':
                    return 4;
                case 'd':
                    return 8;
                case 'c':
                    return number(1);
                case 'i', 'I': {
                    int sz = number(4);
                    if (sz > 8) {
                        throw new LuaError("integral size " + sz + " is larger than limit of 8");
                    }
                    return sz;
                }
                default:
                    return 0;
            }
        }

        /** Padding needed before an item of {@code size} at {@code len} under '!' alignment. */
        int gap(int len, int size, char opt) {
            if (opt == 'c' || opt == 's') {
                return 0;
            }
            int a = Math.min(size, align);
            if (a <= 1) {
                return 0;
            }
            if ((a & (a - 1)) != 0) {
                throw new LuaError("alignment " + a + " is not a power of 2");
            }
            return (a - (len & (a - 1))) & (a - 1);
        }

        /** Handles the control options; returns true when {@code opt} was one. */
        boolean control(char opt) {
            switch (opt) {
                case ' ':
                    return true;
                case '>':
                    little = false;
                    return true;
                case '<', '=':
                    little = true;
                    return true;
                case '!':
                    align = number(8);
                    return true;
                default:
                    return false;
            }
        }
    }

    private static void putInt(ByteArrayOutputStream out, long v, int size, boolean little) {
        for (int k = 0; k < size; k++) {
            int shift = 8 * (little ? k : size - 1 - k);
            out.write(shift >= 64 ? (v < 0 ? 0xff : 0) : (int) (v >>> shift) & 0xff);
        }
    }

    private static Varargs pack(Varargs a) {
        Fmt f = new Fmt(a.checkjstring(1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int arg = 2;
        while (f.more()) {
            char opt = f.f.charAt(f.i++);
            if (f.control(opt)) {
                continue;
            }
            int size = f.size(opt);
            int gap = f.gap(out.size(), size, opt);
            for (int k = 0; k < gap; k++) {
                out.write(0);
            }
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    double n = a.checkdouble(arg++);
                    long v = n < 0 ? (long) n : n >= 0x1p63 ? (long) (n - 0x1p64) : (long) n;
                    putInt(out, v, size, f.little);
                }
                case 'x' -> out.write(0);
                case 'f' -> putInt(out, Float.floatToRawIntBits((float) a.checkdouble(arg++)) & 0xffffffffL, 4, f.little);
                case 'd' -> putInt(out, Double.doubleToRawLongBits(a.checkdouble(arg++)), 8, f.little);
                case 'c', 's' -> {
                    LuaString s = a.checkstring(arg++);
                    int l = s.m_length;
                    if (opt == 'c') {
                        if (size == 0) {
                            size = l;
                        }
                        if (l < size) {
                            throw new LuaError("bad argument #" + (arg - 1) + " to 'pack' (string too short)");
                        }
                        out.write(s.m_bytes, s.m_offset, size);
                    } else {
                        out.write(s.m_bytes, s.m_offset, l);
                        out.write(0);
                    }
                }
                default -> throw new LuaError("invalid format option '" + opt + "'");
            }
        }
        return LuaString.valueOf(out.toByteArray());
    }

    private static Varargs unpack(Varargs a) {
        Fmt f = new Fmt(a.checkjstring(1));
        LuaString data = a.checkstring(2);
        int ld = data.m_length;
        int pos = a.optint(3, 1) - 1;
        if (pos < 0) {
            throw new LuaError("bad argument #3 to 'unpack' (offset must be 1 or greater)");
        }
        java.util.List<LuaValue> out = new java.util.ArrayList<>();
        byte[] b = data.m_bytes;
        int base = data.m_offset;
        while (f.more()) {
            char opt = f.f.charAt(f.i++);
            if (f.control(opt)) {
                continue;
            }
            int size = f.size(opt);
            pos += f.gap(pos, size, opt);
            if (size > ld - pos || pos > ld) {
                throw new LuaError("bad argument #2 to 'unpack' (data string too short)");
            }
            switch (opt) {
                case 'b', 'B', 'h', 'H', 'l', 'L', 'T', 'i', 'I' -> {
                    long v = 0;
                    for (int k = 0; k < size; k++) {
                        int idx = f.little ? size - 1 - k : k;
                        v = v << 8 | (b[base + pos + idx] & 0xff);
                    }
                    boolean signed = Character.isLowerCase(opt);
                    if (signed && size < 8) {
                        long mask = 1L << (size * 8 - 1);
                        v = (v ^ mask) - mask;
                    }
                    double d = signed || v >= 0 ? (double) v : (double) (v >>> 1) * 2.0 + (v & 1);
                    out.add(LuaValue.valueOf(d));
                }
                case 'x' -> {
                }
                case 'f' -> {
                    long v = readRaw(b, base + pos, 4, f.little);
                    out.add(LuaValue.valueOf((double) Float.intBitsToFloat((int) v)));
                }
                case 'd' -> out.add(LuaValue.valueOf(Double.longBitsToDouble(readRaw(b, base + pos, 8, f.little))));
                case 'c' -> {
                    if (size == 0) {
                        if (out.isEmpty() || !out.get(out.size() - 1).isnumber()) {
                            throw new LuaError("format 'c0' needs a previous size");
                        }
                        size = (int) out.remove(out.size() - 1).todouble();
                        if (size > ld - pos) {
                            throw new LuaError("bad argument #2 to 'unpack' (data string too short)");
                        }
                    }
                    out.add(LuaString.valueOf(java.util.Arrays.copyOfRange(b, base + pos, base + pos + size)));
                }
                case 's' -> {
                    int e = pos;
                    while (e < ld && b[base + e] != 0) {
                        e++;
                    }
                    if (e >= ld) {
                        throw new LuaError("unfinished string in data");
                    }
                    out.add(LuaString.valueOf(java.util.Arrays.copyOfRange(b, base + pos, base + e)));
                    size = e - pos + 1;
                }
                default -> throw new LuaError("invalid format option '" + opt + "'");
            }
            pos += size;
        }
        out.add(LuaValue.valueOf(pos + 1));
        return LuaValue.varargsOf(out.toArray(new LuaValue[0]));
    }

    private static long readRaw(byte[] b, int at, int size, boolean little) {
        long v = 0;
        for (int k = 0; k < size; k++) {
            int idx = little ? size - 1 - k : k;
            v = v << 8 | (b[at + idx] & 0xff);
        }
        return v;
    }

    private static Varargs size(Varargs a) {
        Fmt f = new Fmt(a.checkjstring(1));
        int pos = 0;
        while (f.more()) {
            char opt = f.f.charAt(f.i++);
            if (f.control(opt)) {
                continue;
            }
            int size = f.size(opt);
            pos += f.gap(pos, size, opt);
            if (opt == 's') {
                throw new LuaError("options 's' has no fixed size");
            }
            if (opt == 'c' && size == 0) {
                throw new LuaError("options 'c0' has no fixed size");
            }
            if ("bBhHlLTiIxfdc".indexOf(opt) < 0) {
                throw new LuaError("invalid format option '" + opt + "'");
            }
            pos += size;
        }
        return LuaValue.valueOf(pos);
    }
}
