package dev.trellis.server.module.nativeabi;

import dev.trellis.server.log.ServerLog;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Connects the {@link Api} methods to the shim's API table ({@code api_table.c}, generated from
 * our header). Each table entry is a C trampoline that widens its arguments and calls the Java
 * dispatcher of its signature with the entry's index.
 *
 * <p>The dispatchers are generated at startup as bytecode (one static method per signature: a
 * switch on the index calling the implementation directly, inside a catch-all that logs the
 * failure and returns the function's {@link Api#onError} value, so nothing reaches C). One
 * upcall stub per signature then serves every function of that signature: a stub costs
 * milliseconds to create, and there are ~36 signatures for ~360 functions.
 *
 * <p>Each implementation is checked against the header's signature when it is added.
 */
final class ApiRegistry {
    private static volatile ApiRegistry current;

    /** One implementation: its table index, name, method and error value. */
    private record Impl(int index, String name, Method method, long onError) {
    }

    private final String[] names;
    private final long[] onError;
    private final TreeSet<String> implemented = new TreeSet<>();
    private final Map<String, List<Impl>> bySignature = new LinkedHashMap<>();

    ApiRegistry(int tableSize) {
        names = new String[tableSize];
        onError = new long[tableSize];
        current = this;
    }

    /** The shim's view of the table: find/enable an entry, read its signature. */
    interface Table {
        int enable(String name);

        String signature(int index);
    }

    /** Adds every {@link Api} method of {@code cls}, checked against the header's signature. */
    void addClass(Class<?> cls, Table table) {
        for (Method m : cls.getDeclaredMethods()) {
            Api a = m.getAnnotation(Api.class);
            if (a == null) {
                continue;
            }
            if (!Modifier.isStatic(m.getModifiers())) {
                throw new IllegalStateException("@Api method must be static: " + m);
            }
            String name = a.value().isEmpty() ? m.getName() : a.value();
            int idx = table.enable(name);
            if (idx < 0) {
                throw new IllegalStateException("RedisModule_" + name + " is not in redismodule.h");
            }
            String sig = table.signature(idx);
            String javaSig = signatureOf(MethodType.methodType(m.getReturnType(), m.getParameterTypes()));
            if (!javaSig.equals(sig)) {
                throw new IllegalStateException("RedisModule_" + name + ": Java signature " + javaSig
                        + " does not match the header's " + sig);
            }
            names[idx] = name;
            onError[idx] = a.onError();
            implemented.add(name);
            bySignature.computeIfAbsent(sig, k -> new ArrayList<>()).add(new Impl(idx, name, m, a.onError()));
        }
    }

    /** Generates the dispatchers and hands one upcall stub per signature to {@code bind}. */
    void bindDispatchers(java.util.function.BiConsumer<String, Long> bind) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(generate(), true);
            for (String sig : bySignature.keySet()) {
                MethodType t = dispatcherType(sig);
                MethodHandle mh = lookup.findStatic(lookup.lookupClass(), methodName(sig), t);
                bind.accept(sig, Native.LINKER.upcallStub(mh, descriptor(t), Arena.global()).address());
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    java.util.Set<String> names() {
        return implemented;
    }

    private static String methodName(String sig) {
        return "d_" + sig.replace(':', '_');
    }

    /** (int index, arguments as the trampoline passes them) returning the C result. */
    private static MethodType dispatcherType(String sig) {
        String[] parts = sig.split(":", -1);
        List<Class<?>> params = new ArrayList<>();
        params.add(int.class);
        for (char ch : parts[1].toCharArray()) {
            params.add(type(ch));
        }
        return MethodType.methodType(type(parts[0].charAt(0)), params);
    }

    private byte[] generate() {
        ClassDesc self = ClassDesc.of(ApiRegistry.class.getPackageName() + ".ApiDispatch");
        ClassDesc registry = ClassDesc.of(ApiRegistry.class.getName());
        MethodTypeDesc failed = MethodTypeDesc.of(ConstantDescs.CD_long, ConstantDescs.CD_Throwable, ConstantDescs.CD_int);
        return ClassFile.of().build(self, cb -> {
            cb.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC);
            for (Map.Entry<String, List<Impl>> e : bySignature.entrySet()) {
                String sig = e.getKey();
                MethodType t = dispatcherType(sig);
                char ret = sig.charAt(0);
                cb.withMethodBody(methodName(sig), desc(t), ClassFile.ACC_STATIC, code -> code.trying(
                        block -> {
                            Label deflt = block.newLabel();
                            List<SwitchCase> cases = new ArrayList<>();
                            List<Label> labels = new ArrayList<>();
                            for (Impl impl : e.getValue()) {
                                Label l = block.newLabel();
                                labels.add(l);
                                cases.add(SwitchCase.of(impl.index(), l));
                            }
                            block.iload(0);
                            block.lookupswitch(deflt, cases);
                            for (int i = 0; i < labels.size(); i++) {
                                block.labelBinding(labels.get(i));
                                invoke(block, e.getValue().get(i).method(), sig);
                                returnValue(block, ret);
                            }
                            block.labelBinding(deflt);
                            zero(block, ret);
                            returnValue(block, ret);
                        },
                        handlers -> handlers.catching(ConstantDescs.CD_Throwable, h -> {
                            h.iload(0);
                            h.invokestatic(registry, "failed", failed);
                            switch (ret) {
                                case 'V' -> h.pop2();
                                case 'I' -> h.l2i();
                                case 'D' -> h.l2d();
                                case 'F' -> h.l2f();
                                default -> {
                                }
                            }
                            returnValue(h, ret);
                        })));
            }
        });
    }

    /** Loads the dispatcher's arguments as {@code m} takes them and calls it. */
    private static void invoke(CodeBuilder b, Method m, String sig) {
        Class<?>[] p = m.getParameterTypes();
        int slot = 1;
        for (Class<?> c : p) {
            if (c == int.class) {
                b.lload(slot);
                b.l2i();
                slot += 2;
            } else if (c == long.class) {
                b.lload(slot);
                slot += 2;
            } else if (c == double.class) {
                b.dload(slot);
                slot += 2;
            } else {
                b.fload(slot);
                slot += 1;
            }
        }
        b.invokestatic(ClassDesc.of(m.getDeclaringClass().getName()), m.getName(),
                desc(MethodType.methodType(m.getReturnType(), p)));
    }

    private static void zero(CodeBuilder b, char ret) {
        switch (ret) {
            case 'I' -> b.iconst_0();
            case 'J' -> b.lconst_0();
            case 'D' -> b.dconst_0();
            case 'F' -> b.fconst_0();
            default -> {
            }
        }
    }

    private static void returnValue(CodeBuilder b, char ret) {
        switch (ret) {
            case 'V' -> b.return_();
            case 'I' -> b.ireturn();
            case 'J' -> b.lreturn();
            case 'D' -> b.dreturn();
            default -> b.freturn();
        }
    }

    private static MethodTypeDesc desc(MethodType t) {
        return t.describeConstable().orElseThrow();
    }

    /** Called by a dispatcher when an implementation threw: logs, returns its error value. */
    static long failed(Throwable t, int id) {
        ApiRegistry r = current;
        String name = r != null && id >= 0 && id < r.names.length ? r.names[id] : "#" + id;
        upcallFailed(name, t);
        return r != null && id >= 0 && id < r.onError.length ? r.onError[id] : 0;
    }

    /** The header's signature code of a Java method type (ints and longs are both J). */
    static String signatureOf(MethodType t) {
        StringBuilder sb = new StringBuilder();
        Class<?> r = t.returnType();
        sb.append(r == void.class ? 'V' : r == int.class ? 'I' : r == long.class ? 'J' : r == double.class ? 'D'
                : r == float.class ? 'F' : '?');
        sb.append(':');
        for (Class<?> p : t.parameterList()) {
            sb.append(p == int.class || p == long.class ? 'J' : p == double.class ? 'D' : p == float.class ? 'F' : '?');
        }
        return sb.toString();
    }

    private static Class<?> type(char c) {
        return switch (c) {
            case 'V' -> void.class;
            case 'I' -> int.class;
            case 'J' -> long.class;
            case 'D' -> double.class;
            case 'F' -> float.class;
            default -> throw new IllegalArgumentException("signature code " + c);
        };
    }

    /** Wraps {@code target} so that a Throwable is logged and {@code onError} returned. */
    static MethodHandle guard(String name, MethodHandle target, long onError) {
        MethodType t = target.type();
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
        MethodHandle log;
        try {
            log = MethodHandles.lookup().findStatic(ApiRegistry.class, "upcallFailed",
                    MethodType.methodType(void.class, String.class, Throwable.class)).bindTo(name);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        MethodHandle handler = MethodHandles.foldArguments(MethodHandles.dropArguments(zero, 0, Throwable.class), log);
        handler = MethodHandles.dropArguments(handler, 1, t.parameterList());
        return MethodHandles.catchException(target, Throwable.class, handler);
    }

    /** An upcall stub for a Java method, guarded so that no Throwable escapes into C. */
    static MemorySegment stub(String name, MethodHandle target, long onError) {
        return Native.LINKER.upcallStub(guard(name, target, onError), descriptor(target.type()), Arena.global());
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
    static void upcallFailed(String name, Throwable t) {
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
