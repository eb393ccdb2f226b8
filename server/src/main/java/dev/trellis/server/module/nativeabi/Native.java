package dev.trellis.server.module.nativeabi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * Raw native memory and the libc functions the module host needs (malloc family, dlopen family,
 * strlen). Pointers are plain {@code long} addresses; {@link #MEM} is a segment spanning the
 * whole address space so reads and writes need no per-call segment.
 *
 * <p>Everything here is a thin wrapper: callers own the memory they allocate.
 */
public final class Native {
    /** The whole address space; access it with absolute addresses. */
    public static final MemorySegment MEM = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    public static final Linker LINKER = Linker.nativeLinker();
    static final ValueLayout.OfLong J = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;

    public static final int RTLD_NOW = 0x2;
    public static final int RTLD_LOCAL = 0;
    public static final int RTLD_DEEPBIND = 0x8;

    // Short leaf functions are "critical" downcalls (no thread-state transition).
    private static final MethodHandle MALLOC = libc("malloc", FunctionDescriptor.of(J, J), true);
    private static final MethodHandle CALLOC = libc("calloc", FunctionDescriptor.of(J, J, J), true);
    private static final MethodHandle REALLOC = libc("realloc", FunctionDescriptor.of(J, J, J), true);
    private static final MethodHandle FREE = libc("free", FunctionDescriptor.ofVoid(J), true);
    private static final MethodHandle STRLEN = libc("strlen", FunctionDescriptor.of(J, J), true);
    // dlopen and dlclose run library constructors and destructors: ordinary downcalls.
    private static final MethodHandle DLOPEN = libc("dlopen", FunctionDescriptor.of(J, J, I), false);
    private static final MethodHandle DLSYM = libc("dlsym", FunctionDescriptor.of(J, J, J), false);
    private static final MethodHandle DLCLOSE = libc("dlclose", FunctionDescriptor.of(I, J), false);
    private static final MethodHandle DLERROR = libc("dlerror", FunctionDescriptor.of(J), false);

    private Native() {
    }

    private static MethodHandle libc(String name, FunctionDescriptor fd, boolean critical) {
        MemorySegment sym = LINKER.defaultLookup().find(name)
                .or(() -> SymbolLookup.loaderLookup().find(name))
                .orElseThrow(() -> new UnsatisfiedLinkError("libc symbol " + name));
        return critical ? LINKER.downcallHandle(sym, fd, Linker.Option.critical(false)) : LINKER.downcallHandle(sym, fd);
    }

    /** A downcall handle for a function at a fixed address. */
    public static MethodHandle downcall(long address, FunctionDescriptor fd) {
        return LINKER.downcallHandle(MemorySegment.ofAddress(address), fd);
    }

    /** A downcall handle taking the target address as its first (MemorySegment) argument. */
    public static MethodHandle downcall(FunctionDescriptor fd) {
        return LINKER.downcallHandle(fd);
    }

    // --- allocation ---------------------------------------------------------------------

    public static long malloc(long n) {
        try {
            long p = (long) MALLOC.invokeExact(n);
            if (p == 0) {
                throw new OutOfMemoryError("malloc(" + n + ")");
            }
            return p;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long calloc(long n) {
        try {
            long p = (long) CALLOC.invokeExact(1L, n);
            if (p == 0) {
                throw new OutOfMemoryError("calloc(" + n + ")");
            }
            return p;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long realloc(long p, long n) {
        try {
            long q = (long) REALLOC.invokeExact(p, n);
            if (q == 0) {
                throw new OutOfMemoryError("realloc(" + n + ")");
            }
            return q;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void free(long p) {
        if (p == 0) {
            return;
        }
        try {
            FREE.invokeExact(p);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long strlen(long p) {
        try {
            return (long) STRLEN.invokeExact(p);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // --- dynamic loading ----------------------------------------------------------------

    /** dlopen; returns 0 on failure (see {@link #dlerror}). */
    public static long dlopen(String path, int flags) {
        long p = cString(path);
        try {
            return (long) DLOPEN.invokeExact(p, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            free(p);
        }
    }

    public static long dlsym(long handle, String name) {
        long p = cString(name);
        try {
            return (long) DLSYM.invokeExact(handle, p);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            free(p);
        }
    }

    public static int dlclose(long handle) {
        try {
            return (int) DLCLOSE.invokeExact(handle);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The last dlopen/dlsym/dlclose error text, or null. */
    public static String dlerror() {
        try {
            long p = (long) DLERROR.invokeExact();
            return p == 0 ? null : readCString(p);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // --- memory access ------------------------------------------------------------------

    public static long getLong(long addr) {
        return MEM.get(J, addr);
    }

    public static void putLong(long addr, long v) {
        MEM.set(J, addr, v);
    }

    public static int getInt(long addr) {
        return MEM.get(I, addr);
    }

    public static void putInt(long addr, int v) {
        MEM.set(I, addr, v);
    }

    public static double getDouble(long addr) {
        return MEM.get(ValueLayout.JAVA_DOUBLE, addr);
    }

    public static void putDouble(long addr, double v) {
        MEM.set(ValueLayout.JAVA_DOUBLE, addr, v);
    }

    public static byte getByte(long addr) {
        return MEM.get(ValueLayout.JAVA_BYTE, addr);
    }

    public static void putByte(long addr, byte b) {
        MEM.set(ValueLayout.JAVA_BYTE, addr, b);
    }

    /** Copies {@code len} native bytes at {@code addr} into a new array. */
    public static byte[] bytes(long addr, long len) {
        byte[] b = new byte[(int) len];
        MemorySegment.copy(MEM, ValueLayout.JAVA_BYTE, addr, b, 0, b.length);
        return b;
    }

    /** Copies {@code b[off, off+len)} to native memory at {@code addr}. */
    public static void copy(byte[] b, int off, long addr, int len) {
        MemorySegment.copy(b, off, MEM, ValueLayout.JAVA_BYTE, addr, len);
    }

    public static void copy(long from, long to, long len) {
        MemorySegment.copy(MEM, from, MEM, to, len);
    }

    public static void fill(long addr, long len, byte v) {
        MEM.asSlice(addr, len).fill(v);
    }

    /** The bytes of a NUL-terminated string, or null for a null pointer. */
    public static byte[] cBytes(long p) {
        if (p == 0) {
            return null;
        }
        return bytes(p, strlen(p));
    }

    /** A NUL-terminated string decoded as UTF-8, or null for a null pointer. */
    public static String readCString(long p) {
        if (p == 0) {
            return null;
        }
        return new String(bytes(p, strlen(p)), StandardCharsets.UTF_8);
    }

    /** A malloc'd NUL-terminated copy of {@code s}; the caller frees it. */
    public static long cString(String s) {
        return cString(s.getBytes(StandardCharsets.UTF_8));
    }

    public static long cString(byte[] b) {
        long p = malloc(b.length + 1L);
        copy(b, 0, p, b.length);
        putByte(p + b.length, (byte) 0);
        return p;
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
