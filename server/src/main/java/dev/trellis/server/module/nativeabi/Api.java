package dev.trellis.server.module.nativeabi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method as the implementation of {@code RedisModule_<name>}. Parameters and
 * the result must be {@code long} (pointers, 64-bit integers, size_t), {@code int},
 * {@code double} or {@code float}; {@link ApiRegistry} turns each into an upcall stub that
 * catches every exception (which would otherwise kill the process) and then returns
 * {@link #onError}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Api {
    /** The API name without prefix; defaults to the method name. */
    String value() default "";

    /** What the function returns to C when the Java side failed (for int/long results). */
    long onError() default 0;
}
