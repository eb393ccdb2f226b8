package dev.trellis.server.module.nativeabi;

import dev.trellis.server.log.ServerLog;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The table GetApi serves: API name (without prefix) to entry-point address. Java
 * implementations come from {@link Api}-annotated static methods, each wrapped in an upcall
 * stub that never lets an exception reach C; the shim's entry points are added by name.
 * Stubs are created once per process and live for its lifetime.
 */
final class ApiRegistry {
    private static final MethodHandle FAILED;

    static {
        try {
            FAILED = MethodHandles.lookup().findStatic(ApiRegistry.class, "upcallFailed",
                    MethodType.methodType(void.class, String.class, Throwable.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Map<String, Long> entries = new HashMap<>();

    /** Adds every {@link Api} method of {@code cls}. */
    void addClass(Class<?> cls) {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (Method m : cls.getDeclaredMethods()) {
            Api a = m.getAnnotation(Api.class);
            if (a == null) {
                continue;
            }
            if (!Modifier.isStatic(m.getModifiers())) {
                throw new IllegalStateException("@Api method must be static: " + m);
            }
            String name = a.value().isEmpty() ? m.getName() : a.value();
            try {
                m.setAccessible(true);
                MethodHandle mh = lookup.unreflect(m);
                entries.put(name, stub(name, mh, a.onError()).address());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    void add(String name, long address) {
        entries.put(name, address);
    }

    /** The entry point for an API name without prefix, or 0. */
    long find(String name) {
        Long a = entries.get(name);
        return a == null ? 0 : a;
    }

    java.util.Set<String> names() {
        return new TreeSet<>(entries.keySet());
    }

    /** An upcall stub for a Java method, guarded so that no Throwable escapes into C. */
    static MemorySegment stub(String name, MethodHandle target, long onError) {
        MethodType t = target.type();
        FunctionDescriptor fd = descriptor(t);
        Class<?> r = t.returnType();
        MethodHandle zero;
        if (r == void.class) {
            zero = MethodHandles.empty(MethodType.methodType(void.class));
        } else if (r == int.class) {
            zero = MethodHandles.constant(int.class, (int) onError);
        } else if (r == long.class) {
            zero = MethodHandles.constant(long.class, onError);
        } else {
            zero = MethodHandles.zero(r);
        }
        MethodHandle log = FAILED.bindTo(name);
        MethodHandle handler = MethodHandles.foldArguments(MethodHandles.dropArguments(zero, 0, Throwable.class), log);
        handler = MethodHandles.dropArguments(handler, 1, t.parameterList());
        MethodHandle guarded = MethodHandles.catchException(target, Throwable.class, handler);
        return Native.LINKER.upcallStub(guarded, fd, Arena.global());
    }

    static FunctionDescriptor descriptor(MethodType t) {
        MemoryLayout[] args = new MemoryLayout[t.parameterCount()];
        for (int i = 0; i < args.length; i++) {
            args[i] = layout(t.parameterType(i));
        }
        return t.returnType() == void.class ? FunctionDescriptor.ofVoid(args)
                : FunctionDescriptor.of(layout(t.returnType()), args);
    }

    private static MemoryLayout layout(Class<?> c) {
        if (c == long.class) {
            return ValueLayout.JAVA_LONG;
        }
        if (c == int.class) {
            return ValueLayout.JAVA_INT;
        }
        if (c == double.class) {
            return ValueLayout.JAVA_DOUBLE;
        }
        if (c == float.class) {
            return ValueLayout.JAVA_FLOAT;
        }
        throw new IllegalArgumentException("unsupported upcall type " + c);
    }

    /** Must not throw: it runs inside the guard of an upcall. */
    private static void upcallFailed(String name, Throwable t) {
        try {
            ServerLog.get().warning("Module API RedisModule_" + name + " failed: " + t);
            if (ServerLog.get().enabled(ServerLog.DEBUG)) {
                java.io.StringWriter sw = new java.io.StringWriter();
                t.printStackTrace(new java.io.PrintWriter(sw));
                ServerLog.get().debug(sw.toString());
            }
        } catch (Throwable ignored) {
            // nothing more can be done without risking the process
        }
    }
}
