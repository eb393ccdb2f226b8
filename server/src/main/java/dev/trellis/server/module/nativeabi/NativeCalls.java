package dev.trellis.server.module.nativeabi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Calls into module callbacks by address, one downcall handle per C signature (pointers and
 * 64-bit integers as {@code long}, C {@code int} as {@code int}). Named by result and
 * arguments: {@code v_jj} is {@code void f(void*, void*)}, {@code j_ji} is
 * {@code void *f(void*, int)}.
 */
final class NativeCalls {
    private static final ValueLayout.OfLong J = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final MethodHandle V = Native.downcall(FunctionDescriptor.ofVoid());
    private static final MethodHandle V_J = Native.downcall(FunctionDescriptor.ofVoid(J));
    private static final MethodHandle V_JJ = Native.downcall(FunctionDescriptor.ofVoid(J, J));
    private static final MethodHandle V_JJJ = Native.downcall(FunctionDescriptor.ofVoid(J, J, J));
    private static final MethodHandle V_JJJJ = Native.downcall(FunctionDescriptor.ofVoid(J, J, J, J));
    private static final MethodHandle V_JJJJJ = Native.downcall(FunctionDescriptor.ofVoid(J, J, J, J, J));
    private static final MethodHandle V_JI = Native.downcall(FunctionDescriptor.ofVoid(J, I));
    private static final MethodHandle V_IJI = Native.downcall(FunctionDescriptor.ofVoid(I, J, I));
    private static final MethodHandle V_JIJ = Native.downcall(FunctionDescriptor.ofVoid(J, I, J));
    private static final MethodHandle V_JJIJ = Native.downcall(FunctionDescriptor.ofVoid(J, J, I, J));
    private static final MethodHandle V_JJJI = Native.downcall(FunctionDescriptor.ofVoid(J, J, J, I));
    private static final MethodHandle V_JJJJI = Native.downcall(FunctionDescriptor.ofVoid(J, J, J, J, I));
    private static final MethodHandle J_J = Native.downcall(FunctionDescriptor.of(J, J));
    private static final MethodHandle J_JJ = Native.downcall(FunctionDescriptor.of(J, J, J));
    private static final MethodHandle J_JJJ = Native.downcall(FunctionDescriptor.of(J, J, J, J));
    private static final MethodHandle J_JI = Native.downcall(FunctionDescriptor.of(J, J, I));
    private static final MethodHandle I_J = Native.downcall(FunctionDescriptor.of(I, J));
    private static final MethodHandle I_JJ = Native.downcall(FunctionDescriptor.of(I, J, J));
    private static final MethodHandle I_JJJ = Native.downcall(FunctionDescriptor.of(I, J, J, J));
    private static final MethodHandle I_JJJJ = Native.downcall(FunctionDescriptor.of(I, J, J, J, J));
    private static final MethodHandle I_JII = Native.downcall(FunctionDescriptor.of(I, J, I, I));
    private static final MethodHandle I_JJI = Native.downcall(FunctionDescriptor.of(I, J, J, I));
    private static final MethodHandle I_JIJJ = Native.downcall(FunctionDescriptor.of(I, J, I, J, J));

    private NativeCalls() {
    }

    private static MemorySegment at(long f) {
        return MemorySegment.ofAddress(f);
    }

    static void v(long f) {
        try {
            V.invokeExact(at(f));
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static void v_j(long f, long a) {
        try {
            V_J.invokeExact(at(f), a);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static void v_iji(long f, int a, long b, int c) {
        try {
            V_IJI.invokeExact(at(f), a, b, c);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static void v_jj(long f, long a, long b) {
        try {
            V_JJ.invokeExact(at(f), a, b);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static void v_jjj(long f, long a, long b, long c) {
        try {
            V_JJJ.invokeExact(at(f), a, b, c);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static void v_jjjj(long f, long a, long b, long c, long d) {
        try {
            V_JJJJ.invokeExact(at(f), a, b, c, d);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static void v_jjjjj(long f, long a, long b, long c, long d, long e) {
        try {
            V_JJJJJ.invokeExact(at(f), a, b, c, d, e);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static void v_ji(long f, long a, int b) {
        try {
            V_JI.invokeExact(at(f), a, b);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static void v_jij(long f, long a, int b, long c) {
        try {
            V_JIJ.invokeExact(at(f), a, b, c);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static void v_jjij(long f, long a, long b, int c, long d) {
        try {
            V_JJIJ.invokeExact(at(f), a, b, c, d);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static void v_jjji(long f, long a, long b, long c, int d) {
        try {
            V_JJJI.invokeExact(at(f), a, b, c, d);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static void v_jjjji(long f, long a, long b, long c, long d, int e) {
        try {
            V_JJJJI.invokeExact(at(f), a, b, c, d, e);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static long j_j(long f, long a) {
        try {
            return (long) J_J.invokeExact(at(f), a);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static long j_jj(long f, long a, long b) {
        try {
            return (long) J_JJ.invokeExact(at(f), a, b);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static long j_jjj(long f, long a, long b, long c) {
        try {
            return (long) J_JJJ.invokeExact(at(f), a, b, c);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static long j_ji(long f, long a, int b) {
        try {
            return (long) J_JI.invokeExact(at(f), a, b);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static int i_j(long f, long a) {
        try {
            return (int) I_J.invokeExact(at(f), a);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static int i_jj(long f, long a, long b) {
        try {
            return (int) I_JJ.invokeExact(at(f), a, b);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static int i_jjj(long f, long a, long b, long c) {
        try {
            return (int) I_JJJ.invokeExact(at(f), a, b, c);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static int i_jjjj(long f, long a, long b, long c, long d) {
        try {
            return (int) I_JJJJ.invokeExact(at(f), a, b, c, d);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static int i_jii(long f, long a, int b, int c) {
        try {
            return (int) I_JII.invokeExact(at(f), a, b, c);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static int i_jji(long f, long a, long b, int c) {
        try {
            return (int) I_JJI.invokeExact(at(f), a, b, c);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }

    static int i_jijj(long f, long a, int b, long c, long d) {
        try {
            return (int) I_JIJJ.invokeExact(at(f), a, b, c, d);
        } catch (Throwable t) {
            throw Native.rethrow(t);
        }
    }
}
