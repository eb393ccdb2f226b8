package dev.trellis.server.scripting;

import dev.trellis.server.persist.Crc64;
import dev.trellis.server.persist.rdb.Rdb;
import dev.trellis.server.persist.rdb.RdbInput;
import dev.trellis.server.persist.rdb.RdbOutput;
import dev.trellis.server.resp.ArgSplitter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * Function libraries (Redis 7 functions): the libraries and the function names they register,
 * and the Lua state they run in. Libraries run once at load with a restricted environment
 * whose only job is {@code redis.register_function}; their functions then run with the full
 * scripting globals.
 */
final class Functions {
    static final String ENGINE = "LUA";
    private static final String NAME_RULE = "Library names can only contain letters, numbers, or underscores(_) "
            + "and must be at least one character long";

    private final Scripting scripting;
    private final Map<String, FunctionLibrary> libraries = new LinkedHashMap<>();
    private final Map<String, FunctionLibrary.Function> functions = new LinkedHashMap<>();
    private ProtectedGlobals runtime;
    private final FunctionEnv env = new FunctionEnv();
    private final ReadOnlyTable loadApi;
    /** The library whose code is running under FUNCTION LOAD, or null. */
    private FunctionLibrary loading;

    Functions(Scripting scripting) {
        this.scripting = scripting;
        this.runtime = LuaSandbox.create(RedisLib.create(scripting), scripting.random);
        ReadOnlyTable redis = new ReadOnlyTable();
        redis.rawset("register_function", LuaFunctions.of("register_function", this::registerFunction));
        LuaTable full = RedisLib.create(scripting);
        for (String n : new String[] {"log", "LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING", "REDIS_VERSION",
            "REDIS_VERSION_NUM"}) {
            redis.rawset(n, full.rawget(n));
        }
        redis.setmetatable(errorMetatable());
        redis.lock();
        loadApi = new ReadOnlyTable();
        loadApi.rawset("redis", redis);
        loadApi.setmetatable(errorMetatable());
        loadApi.lock();
        env.target(runtime);
    }

    private static ReadOnlyTable errorMetatable() {
        ReadOnlyTable meta = new ReadOnlyTable();
        meta.rawset(LuaValue.INDEX, LuaFunctions.of("__index", a -> {
            throw new LuaError("Script attempted to access nonexistent global variable '" + a.arg(2).tojstring() + "'");
        }));
        meta.lock();
        return meta;
    }

    /** The function called {@code name}; function names are matched case-insensitively, as Redis's function dict. */
    FunctionLibrary.Function function(String name) {
        return functions.get(key(name));
    }

    private static String key(String name) {
        return name.toLowerCase(java.util.Locale.ROOT);
    }

    Map<String, FunctionLibrary> libraries() {
        return libraries;
    }

    int functionCount() {
        return functions.size();
    }

    /** Bytes the libraries' code takes (used_memory_functions, roughly). */
    long memory() {
        long n = 0;
        for (FunctionLibrary l : libraries.values()) {
            n += l.code.length + 64L * l.functions.size() + 128;
        }
        return n;
    }

    // --- loading --------------------------------------------------------------------------

    /** FUNCTION LOAD: creates (or with {@code replace} replaces) the library in {@code code}; returns its name. */
    String load(byte[] code, boolean replace) {
        FunctionLibrary lib = compile(code, libraries, replace);
        FunctionLibrary old = libraries.get(lib.name);
        for (String f : lib.functions.keySet()) {
            FunctionLibrary.Function other = functions.get(key(f));
            if (other != null && other.library() != old) {
                throw new ScriptException("ERR Function " + f + " already exists");
            }
        }
        if (old != null) {
            unlink(old);
        }
        link(lib);
        return lib.name;
    }

    /** Runs a library's code and collects its functions; checks its name against {@code existing}. */
    private FunctionLibrary compile(byte[] code, Map<String, FunctionLibrary> existing, boolean replace) {
        if (code.length < 2 || code[0] != '#' || code[1] != '!') {
            throw new ScriptException("ERR Missing library metadata");
        }
        int end = ScriptFlags.indexOf(code, (byte) '\n');
        if (end < 0) {
            throw new ScriptException("ERR Invalid library metadata");
        }
        byte[][] parts;
        try {
            parts = ArgSplitter.split(java.util.Arrays.copyOf(code, end));
        } catch (RuntimeException e) {
            parts = null;
        }
        if (parts == null || parts.length == 0) {
            throw new ScriptException("ERR Invalid library metadata");
        }
        String engine = new String(parts[0], StandardCharsets.UTF_8).substring(2);
        String name = null;
        for (int i = 1; i < parts.length; i++) {
            String p = new String(parts[i], StandardCharsets.UTF_8);
            if (p.regionMatches(true, 0, "name=", 0, 5)) {
                if (name != null) {
                    throw new ScriptException("ERR Invalid metadata value, name argument was given multiple times");
                }
                name = p.substring(5);
                continue;
            }
            throw new ScriptException("ERR Invalid metadata value given: " + p);
        }
        if (name == null) {
            throw new ScriptException("ERR Library name was not given");
        }
        if (!validName(name)) {
            throw new ScriptException("ERR " + NAME_RULE);
        }
        if (!engine.equalsIgnoreCase(ENGINE)) {
            throw new ScriptException("ERR Engine '" + engine + "' not found");
        }
        if (existing.containsKey(name) && !replace) {
            throw new ScriptException("ERR Library '" + name + "' already exists");
        }
        FunctionLibrary lib = new FunctionLibrary(name, code);
        LuaValue chunk;
        try {
            chunk = Chunks.compile(runtime, code, end, "@user_function", env);
        } catch (LuaError e) {
            throw new ScriptException("ERR Error compiling function: " + Chunks.compileMessage(e));
        }
        env.target(loadApi);
        loading = lib;
        try {
            chunk.call();
        } catch (LuaError e) {
            LuaValue v = e instanceof LuaErrors.Bare b ? b.value : e.getMessageObject();
            String msg;
            if (v != null && v.istable()) {
                LuaValue err = v.rawget(LuaErrors.ERR);
                msg = err.isstring() ? err.tojstring() : "(null)";
            } else {
                msg = "ERR " + LuaErrors.message(e);
            }
            throw new ScriptException("ERR Error registering functions: " + msg);
        } catch (StackOverflowError e) {
            throw new ScriptException("ERR Error registering functions: stack overflow");
        } finally {
            loading = null;
            env.target(runtime);
        }
        if (lib.functions.isEmpty()) {
            throw new ScriptException("ERR No functions registered");
        }
        return lib;
    }

    static boolean validName(String n) {
        if (n.isEmpty()) {
            return false;
        }
        for (int i = 0; i < n.length(); i++) {
            char ch = n.charAt(i);
            if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_')) {
                return false;
            }
        }
        return true;
    }

    private Varargs registerFunction(Varargs a) {
        FunctionLibrary lib = loading;
        if (lib == null) {
            throw new LuaError(LuaErrors.table("redis.register_function can only be called on FUNCTION LOAD command"));
        }
        int argc = a.narg();
        if (argc < 1 || argc > 2) {
            throw new LuaError(LuaErrors.table("wrong number of arguments to redis.register_function"));
        }
        String name = null;
        String desc = null;
        LuaValue callback = null;
        int flags = 0;
        if (argc == 1) {
            if (!a.arg1().istable()) {
                throw new LuaError(LuaErrors.table("calling redis.register_function with a single argument is only "
                        + "applicable to Lua table (representing named arguments)."));
            }
            LuaTable t = (LuaTable) a.arg1();
            LuaValue k = LuaValue.NIL;
            while (true) {
                Varargs n = t.next(k);
                if ((k = n.arg1()).isnil()) {
                    break;
                }
                LuaValue v = n.arg(2);
                if (!k.isstring()) {
                    throw new LuaError(LuaErrors.table("named argument key given to redis.register_function is not a string"));
                }
                String key = k.tojstring();
                if (key.equalsIgnoreCase("function_name")) {
                    if (!v.isstring()) {
                        throw new LuaError(LuaErrors.table("function_name argument given to redis.register_function must be a string"));
                    }
                    name = v.tojstring();
                } else if (key.equalsIgnoreCase("description")) {
                    if (!v.isstring()) {
                        throw new LuaError(LuaErrors.table("description argument given to redis.register_function must be a string"));
                    }
                    desc = v.tojstring();
                } else if (key.equalsIgnoreCase("callback")) {
                    if (!v.isfunction()) {
                        throw new LuaError(LuaErrors.table("callback argument given to redis.register_function must be a function"));
                    }
                    callback = v;
                } else if (key.equalsIgnoreCase("flags")) {
                    if (!v.istable()) {
                        throw new LuaError(LuaErrors.table("flags argument to redis.register_function must be a table representing function flags"));
                    }
                    flags = readFlags((LuaTable) v);
                } else {
                    throw new LuaError(LuaErrors.table("unknown argument given to redis.register_function"));
                }
            }
            if (name == null) {
                throw new LuaError(LuaErrors.table("redis.register_function must get a function name argument"));
            }
            if (callback == null) {
                throw new LuaError(LuaErrors.table("redis.register_function must get a callback argument"));
            }
        } else {
            if (!a.arg1().isstring()) {
                throw new LuaError(LuaErrors.table("first argument to redis.register_function must be a string"));
            }
            if (!a.arg(2).isfunction()) {
                throw new LuaError(LuaErrors.table("second argument to redis.register_function must be a function"));
            }
            name = a.arg1().tojstring();
            callback = a.arg(2);
        }
        if (!validName(name)) {
            throw new LuaError(LuaErrors.table(NAME_RULE));
        }
        if (lib.functions.containsKey(name)) {
            throw new LuaError(LuaErrors.table("Function already exists in the library"));
        }
        lib.functions.put(name, new FunctionLibrary.Function(name, desc, flags, callback, lib));
        return LuaValue.NONE;
    }

    private static int readFlags(LuaTable t) {
        int flags = 0;
        for (int j = 1; ; j++) {
            LuaValue v = t.get(j);
            if (v.isnil()) {
                return flags;
            }
            int bit = v.isstring() ? ScriptFlags.bit(v.tojstring().toLowerCase(java.util.Locale.ROOT)) : 0;
            if (bit == 0) {
                throw new LuaError(LuaErrors.table("unknown flag given"));
            }
            flags |= bit;
        }
    }

    private void link(FunctionLibrary lib) {
        libraries.put(lib.name, lib);
        for (FunctionLibrary.Function f : lib.functions.values()) {
            functions.put(key(f.name()), f);
        }
    }

    private void unlink(FunctionLibrary lib) {
        libraries.remove(lib.name);
        for (String f : lib.functions.keySet()) {
            functions.remove(key(f));
        }
    }

    boolean delete(String name) {
        FunctionLibrary lib = libraries.get(name);
        if (lib == null) {
            return false;
        }
        unlink(lib);
        return true;
    }

    /** FUNCTION FLUSH: no libraries, and a fresh Lua state. */
    void flush() {
        libraries.clear();
        functions.clear();
        runtime = LuaSandbox.create(RedisLib.create(scripting), scripting.random);
        env.target(runtime);
    }

    // --- DUMP / RESTORE and files ----------------------------------------------------------

    /** The code of every library, as FUNCTION2 records in RDB files carry them. */
    List<byte[]> codes() {
        List<byte[]> out = new ArrayList<>();
        for (FunctionLibrary l : libraries.values()) {
            out.add(l.code);
        }
        return out;
    }

    /** Replaces every library with those in {@code codes} (a loaded RDB file); failures are logged and skipped. */
    void replaceAll(List<byte[]> codes) {
        flush();
        for (byte[] code : codes) {
            try {
                load(code, true);
            } catch (ScriptException e) {
                dev.trellis.server.log.ServerLog.get().warning("Failed loading library from the RDB: " + e.getMessage());
            }
        }
    }

    /**
     * Adds the libraries in {@code codes}; with {@code replace} they replace those of the same
     * name (failures logged and skipped), without it a library that exists fails the load.
     */
    void merge(List<byte[]> codes, boolean replace) {
        for (byte[] code : codes) {
            try {
                load(code, replace);
            } catch (ScriptException e) {
                if (!replace) {
                    throw new IllegalStateException(e.getMessage());
                }
                dev.trellis.server.log.ServerLog.get().warning("Failed loading library from the RDB: " + e.getMessage());
            }
        }
    }

    /** FUNCTION DUMP's payload: FUNCTION2 records, the RDB version and a CRC-64. */
    byte[] dump(boolean compression) {
        RdbOutput out = new RdbOutput(compression);
        for (FunctionLibrary l : libraries.values()) {
            out.writeByte(Rdb.OPCODE_FUNCTION2);
            out.writeString(l.code);
        }
        out.writeByte(Rdb.DEFAULT_VERSION & 0xff);
        out.writeByte((Rdb.DEFAULT_VERSION >>> 8) & 0xff);
        byte[] body = out.toByteArray();
        byte[] p = java.util.Arrays.copyOf(body, body.length + 8);
        Crc64.putLE(p, body.length, Crc64.of(body, 0, body.length));
        return p;
    }

    /** FUNCTION RESTORE; throws the error to reply. */
    void restore(byte[] p, String policy) {
        if (!dev.trellis.server.persist.rdb.DumpPayload.verify(p, true)) {
            throw new ScriptException("ERR DUMP payload version or checksum are wrong");
        }
        List<byte[]> codes = new ArrayList<>();
        try {
            RdbInput in = RdbInput.of(p, 0, p.length - 10);
            while (in.remaining() > 0) {
                int type = in.readByte();
                if (type == Rdb.OPCODE_FUNCTION_PRE_GA) {
                    throw new ScriptException("ERR Pre-GA function format not supported");
                }
                if (type != Rdb.OPCODE_FUNCTION2) {
                    throw new ScriptException("ERR given type is not a function");
                }
                codes.add(in.readString());
            }
        } catch (ScriptException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ScriptException("ERR failed loading the given functions payload");
        }
        // Build the restored set apart, then join it as the policy says.
        Map<String, FunctionLibrary> restored = new LinkedHashMap<>();
        Map<String, String> restoredFunctions = new LinkedHashMap<>();
        for (byte[] code : codes) {
            FunctionLibrary lib = compile(code, restored, false);
            for (String f : lib.functions.keySet()) {
                if (restoredFunctions.containsKey(key(f))) {
                    throw new ScriptException("ERR Function " + f + " already exists");
                }
                restoredFunctions.put(key(f), f);
            }
            restored.put(lib.name, lib);
        }
        if (policy.equals("flush")) {
            libraries.clear();
            functions.clear();
        } else {
            for (FunctionLibrary lib : restored.values()) {
                if (libraries.containsKey(lib.name) && policy.equals("append")) {
                    throw new ScriptException("ERR Library " + lib.name + " already exists");
                }
            }
            for (var f : restoredFunctions.entrySet()) {
                FunctionLibrary.Function other = functions.get(f.getKey());
                if (other != null && !(policy.equals("replace") && restored.containsKey(other.library().name))) {
                    throw new ScriptException("ERR Function " + f.getValue() + " already exists");
                }
            }
            for (FunctionLibrary lib : restored.values()) {
                FunctionLibrary old = libraries.get(lib.name);
                if (old != null) {
                    unlink(old);
                }
            }
        }
        for (FunctionLibrary lib : restored.values()) {
            link(lib);
        }
    }

    static LuaString str(String s) {
        return LuaString.valueOf(s);
    }
}
