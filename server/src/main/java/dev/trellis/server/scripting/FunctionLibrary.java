package dev.trellis.server.scripting;

import java.util.LinkedHashMap;
import java.util.Map;
import org.luaj.vm2.LuaValue;

/** A library loaded with FUNCTION LOAD: its name, full code (shebang included) and functions. */
final class FunctionLibrary {
    /** One registered function. */
    record Function(String name, String description, int flags, LuaValue callback, FunctionLibrary library) {
    }

    final String name;
    final byte[] code;
    final Map<String, Function> functions = new LinkedHashMap<>();

    FunctionLibrary(String name, byte[] code) {
        this.name = name;
        this.code = code;
    }
}
