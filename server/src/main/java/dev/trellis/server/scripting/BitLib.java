package dev.trellis.server.scripting;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** The {@code bit} library (LuaBitOp) Redis bundles: 32-bit operations on Lua numbers. */
final class BitLib {
    private BitLib() {
    }

    /** LuaBitOp's number normalisation: round to an integer, keep the low 32 bits, signed. */
    static int tobit(LuaValue v) {
        double d = v.checkdouble();
        return (int) (long) Math.rint(d % 4294967296.0);
    }

    static LuaTable create() {
        LuaTable t = new LuaTable();
        t.rawset("tobit", LuaFunctions.of("tobit", a -> LuaValue.valueOf(tobit(a.arg1()))));
        t.rawset("bnot", LuaFunctions.of("bnot", a -> LuaValue.valueOf(~tobit(a.arg1()))));
        t.rawset("band", LuaFunctions.of("band", a -> fold(a, 0)));
        t.rawset("bor", LuaFunctions.of("bor", a -> fold(a, 1)));
        t.rawset("bxor", LuaFunctions.of("bxor", a -> fold(a, 2)));
        t.rawset("lshift", LuaFunctions.of("lshift", a -> LuaValue.valueOf(tobit(a.arg1()) << (tobit(a.arg(2)) & 31))));
        t.rawset("rshift", LuaFunctions.of("rshift", a -> LuaValue.valueOf(tobit(a.arg1()) >>> (tobit(a.arg(2)) & 31))));
        t.rawset("arshift", LuaFunctions.of("arshift", a -> LuaValue.valueOf(tobit(a.arg1()) >> (tobit(a.arg(2)) & 31))));
        t.rawset("rol", LuaFunctions.of("rol", a -> LuaValue.valueOf(Integer.rotateLeft(tobit(a.arg1()), tobit(a.arg(2)) & 31))));
        t.rawset("ror", LuaFunctions.of("ror", a -> LuaValue.valueOf(Integer.rotateRight(tobit(a.arg1()), tobit(a.arg(2)) & 31))));
        t.rawset("bswap", LuaFunctions.of("bswap", a -> LuaValue.valueOf(Integer.reverseBytes(tobit(a.arg1())))));
        t.rawset("tohex", LuaFunctions.of("tohex", BitLib::tohex));
        return t;
    }

    private static Varargs fold(Varargs a, int op) {
        int r = tobit(a.arg1());
        for (int i = 2; i <= a.narg(); i++) {
            int x = tobit(a.arg(i));
            r = op == 0 ? r & x : op == 1 ? r | x : r ^ x;
        }
        return LuaValue.valueOf(r);
    }

    private static Varargs tohex(Varargs a) {
        int b = tobit(a.arg1());
        int n = a.arg(2).isnil() ? 8 : tobit(a.arg(2));
        String digits = "0123456789abcdef";
        if (n == Integer.MIN_VALUE) {
            n = Integer.MIN_VALUE + 1; // as fixed LuaBitOp: -n would overflow
        }
        if (n < 0) {
            n = -n;
            digits = "0123456789ABCDEF";
        }
        if (n > 8) {
            n = 8;
        }
        char[] out = new char[n];
        for (int i = n - 1; i >= 0; i--) {
            out[i] = digits.charAt(b & 15);
            b >>= 4;
        }
        return LuaValue.valueOf(new String(out));
    }

    static LuaError error(String m) {
        return new LuaError(m);
    }
}
