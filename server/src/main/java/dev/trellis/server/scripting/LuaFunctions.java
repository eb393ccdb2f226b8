package dev.trellis.server.scripting;

import java.util.function.Function;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/** Lua functions written as Java lambdas. */
final class LuaFunctions {
    private LuaFunctions() {
    }

    private static final class Named extends VarArgFunction {
        private final Function<Varargs, Varargs> body;

        Named(String name, Function<Varargs, Varargs> body) {
            this.name = name;
            this.body = body;
        }

        @Override
        public Varargs invoke(Varargs args) {
            return body.apply(args);
        }
    }

    /** A Lua function named {@code name} (as error messages show it) running {@code body}. */
    static LuaValue of(String name, Function<Varargs, Varargs> body) {
        return new Named(name, body);
    }
}
