package dev.trellis.server.module;

import dev.trellis.server.types.RedisValue;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the key API needs from the data types that other packages implement: element counts.
 * The types expose a public {@code size()} (or {@code length()}) returning int or long; the
 * handle is found once per value class.
 */
final class TypeAccess {
    private static final ConcurrentHashMap<Class<?>, MethodHandle> SIZE = new ConcurrentHashMap<>();

    private TypeAccess() {
    }

    static long length(RedisValue v) {
        MethodHandle h = SIZE.computeIfAbsent(v.getClass(), TypeAccess::sizeHandle);
        try {
            return ((Number) h.invoke(v)).longValue();
        } catch (Throwable t) {
            throw new IllegalStateException("cannot size a " + v.typeName(), t);
        }
    }

    private static MethodHandle sizeHandle(Class<?> c) {
        MethodHandles.Lookup l = MethodHandles.publicLookup();
        for (String name : new String[] {"size", "length", "len"}) {
            for (Class<?> r : new Class<?>[] {long.class, int.class}) {
                try {
                    return l.findVirtual(c, name, MethodType.methodType(r)).asType(MethodType.methodType(Object.class, RedisValue.class));
                } catch (ReflectiveOperationException ignored) {
                    // try the next spelling
                }
            }
        }
        throw new IllegalStateException("value class " + c.getName() + " has no size()");
    }
}
