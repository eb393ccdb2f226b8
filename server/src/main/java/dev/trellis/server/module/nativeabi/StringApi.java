package dev.trellis.server.module.nativeabi;

import dev.trellis.server.client.Numbers;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleContext.AutoKind;
import dev.trellis.server.resp.DoubleFormat;
import java.nio.charset.StandardCharsets;

/**
 * RedisModuleString functions. Strings live in native memory ({@link NativeStrings}); a context
 * passed as non-NULL puts a new string under its auto memory when that is enabled.
 * (CreateStringPrintf, CreateStringFromLongDouble and StringToLongDouble are in the shim.)
 */
final class StringApi {
    private static final int OK = 0;
    private static final int ERR = 1;
    private static final byte[] NULL_STRING_TEXT = "(NULL string reply referenced in module)".getBytes(StandardCharsets.US_ASCII);
    private static long nullStringText;

    private StringApi() {
    }

    /** Registers a new string with the context's auto memory (if any) and returns it. */
    static long track(long ctxp, long s) {
        if (ctxp != 0) {
            ModuleContext ctx = NativeRuntime.get().context(ctxp);
            if (ctx != null) {
                ctx.autoMemoryAdd(AutoKind.STRING, s);
            }
        }
        return s;
    }

    /** A new string owned by the caller of an API (tracked by {@code ctxp}'s auto memory). */
    static long create(long ctxp, byte[] b) {
        return track(ctxp, NativeStrings.create(b));
    }

    @Api
    static long CreateString(long ctxp, long ptr, long len) {
        return track(ctxp, NativeStrings.createFrom(ptr, len));
    }

    @Api
    static long CreateStringFromLongLong(long ctxp, long v) {
        return create(ctxp, Long.toString(v).getBytes(StandardCharsets.US_ASCII));
    }

    @Api
    static long CreateStringFromULongLong(long ctxp, long v) {
        return create(ctxp, Long.toUnsignedString(v).getBytes(StandardCharsets.US_ASCII));
    }

    @Api
    static long CreateStringFromDouble(long ctxp, double d) {
        return create(ctxp, doubleText(d).getBytes(StandardCharsets.US_ASCII));
    }

    /** Redis's d2string: integers without fraction, "-0", "nan", "inf", else shortest form. */
    static String doubleText(double d) {
        if (d == 0 && 1 / d < 0) {
            return "-0";
        }
        return DoubleFormat.resp(d);
    }

    @Api
    static long CreateStringFromString(long ctxp, long str) {
        return track(ctxp, NativeStrings.createFrom(NativeStrings.ptr(str), NativeStrings.len(str)));
    }

    @Api
    static long CreateStringFromStreamID(long ctxp, long idp) {
        String s = Long.toUnsignedString(Native.getLong(idp)) + "-" + Long.toUnsignedString(Native.getLong(idp + 8));
        return create(ctxp, s.getBytes(StandardCharsets.US_ASCII));
    }

    @Api
    static void FreeString(long ctxp, long str) {
        if (str == 0) {
            return;
        }
        NativeStrings.release(str);
        if (ctxp != 0) {
            ModuleContext ctx = NativeRuntime.get().context(ctxp);
            if (ctx != null) {
                ctx.autoMemoryFreed(AutoKind.STRING, str);
            }
        }
    }

    @Api
    static void RetainString(long ctxp, long str) {
        ModuleContext ctx = ctxp == 0 ? null : NativeRuntime.get().context(ctxp);
        if (ctx == null || !ctx.autoMemoryFreed(AutoKind.STRING, str)) {
            NativeStrings.retain(str);
        }
    }

    @Api
    static long HoldString(long ctxp, long str) {
        NativeStrings.retain(str);
        return track(ctxp, str);
    }

    @Api
    static long StringPtrLen(long str, long lenp) {
        if (str == 0) {
            if (nullStringText == 0) {
                nullStringText = Native.cString(NULL_STRING_TEXT);
            }
            if (lenp != 0) {
                Native.putLong(lenp, NULL_STRING_TEXT.length);
            }
            return nullStringText;
        }
        if (lenp != 0) {
            Native.putLong(lenp, NativeStrings.len(str));
        }
        return NativeStrings.ptr(str);
    }

    @Api(onError = ERR)
    static int StringToLongLong(long str, long out) {
        byte[] b = NativeStrings.bytes(str);
        Long v = parseLong(b);
        if (v == null) {
            return ERR;
        }
        if (out != 0) {
            Native.putLong(out, v);
        }
        return OK;
    }

    /** Redis's string2ll: canonical decimal, no spaces or '+', range of long. */
    static Long parseLong(byte[] b) {
        if (b.length == 20 && new String(b, StandardCharsets.US_ASCII).equals("-9223372036854775808")) {
            return Long.MIN_VALUE;
        }
        long v = Numbers.parseLongOr(b, Long.MIN_VALUE, true);
        return v == Long.MIN_VALUE ? null : v;
    }

    @Api(onError = ERR)
    static int StringToULongLong(long str, long out) {
        String s = new String(NativeStrings.bytes(str), StandardCharsets.ISO_8859_1);
        Long v = parseLong(s.getBytes(StandardCharsets.ISO_8859_1));
        if (v != null) {
            if (v < 0) {
                return ERR;
            }
            if (out != 0) {
                Native.putLong(out, v);
            }
            return OK;
        }
        // strtoull stores what it parsed even when the whole string is not a number.
        long[] r = strtoull(s);
        if (out != 0) {
            Native.putLong(out, r[0]);
        }
        return r[1] == 1 ? OK : ERR;
    }

    /**
     * Redis's string2ull: a canonical signed number must not be negative; otherwise C's
     * strtoull rules apply (leading spaces, an optional sign, decimal digits, at most 2^64-1,
     * nothing after). Returns the value as the unsigned bits of a long, or null.
     */
    static Long parseUnsigned(String s) {
        Long v = parseLong(s.getBytes(StandardCharsets.ISO_8859_1));
        if (v != null) {
            return v < 0 ? null : v;
        }
        long[] r = strtoull(s);
        return r[1] == 1 ? r[0] : null;
    }

    /** C's strtoull in base 10: {value, 1 if the whole non-empty string was consumed without overflow}. */
    private static long[] strtoull(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || (s.charAt(i) >= '\t' && s.charAt(i) <= '\r'))) {
            i++;
        }
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        int start = i;
        long v = 0;
        boolean overflow = false;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            int d = s.charAt(i) - '0';
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - d, 10)) > 0) {
                overflow = true;
            }
            v = v * 10 + d;
            i++;
        }
        if (i == start) {
            return new long[] {0, 0};
        }
        if (overflow) {
            return new long[] {-1L, 0};
        }
        return new long[] {neg ? -v : v, i == s.length() ? 1 : 0};
    }

    @Api(onError = ERR)
    static int StringToDouble(long str, long out) {
        double d = Numbers.parseDoubleOr(NativeStrings.bytes(str), Double.NaN);
        if (Double.isNaN(d)) {
            return ERR;
        }
        if (out != 0) {
            Native.putDouble(out, d);
        }
        return OK;
    }

    @Api(onError = ERR)
    static int StringToStreamID(long str, long idp) {
        long[] id = parseStreamId(NativeStrings.bytes(str));
        if (id == null) {
            return ERR;
        }
        Native.putLong(idp, id[0]);
        Native.putLong(idp + 8, id[1]);
        return OK;
    }

    /** "ms-seq", "ms" (seq 0), "-" (0-0) or "+" (max-max); null when invalid. */
    static long[] parseStreamId(byte[] b) {
        if (b.length > 127) {
            return null;
        }
        String s = new String(b, StandardCharsets.ISO_8859_1);
        if (s.equals("-")) {
            return new long[] {0, 0};
        }
        if (s.equals("+")) {
            return new long[] {-1L, -1L};
        }
        int dash = s.indexOf('-');
        Long ms = parseUnsigned(dash < 0 ? s : s.substring(0, dash));
        Long seq = dash < 0 ? Long.valueOf(0) : parseUnsigned(s.substring(dash + 1));
        if (ms == null || seq == null) {
            return null;
        }
        return new long[] {ms, seq};
    }

    @Api(onError = ERR)
    static int StringAppendBuffer(long ctxp, long str, long buf, long len) {
        if (NativeStrings.refcount(str) != 1) {
            // Redis requires an unshared string (it asserts); refuse instead of corrupting.
            return ERR;
        }
        NativeStrings.append(str, buf, len);
        return OK;
    }

    @Api
    static void TrimStringAllocation(long str) {
        if (str != 0 && NativeStrings.refcount(str) == 1) {
            NativeStrings.trim(str);
        }
    }

    @Api
    static int StringCompare(long a, long b) {
        return NativeStrings.compare(a, b);
    }

    @Api
    static long MallocSizeString(long str) {
        return NativeStrings.allocSize(str);
    }
}
