package dev.trellis.server.scripting;

import java.util.LinkedHashMap;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;

/**
 * The EVAL script cache and the Lua state scripts run in: SHA-1 of the body → compiled
 * function and its shebang flags. SCRIPT FLUSH replaces both, so no state survives it.
 */
final class EvalScripts {
    /** A cached script: the body as sent, its flags, and its compiled chunk. */
    record Script(String sha, byte[] body, int flags, LuaValue function) {
    }

    private final Scripting scripting;
    private final Map<String, Script> cache = new LinkedHashMap<>();
    private ProtectedGlobals globals;
    private long bodyBytes;

    EvalScripts(Scripting scripting) {
        this.scripting = scripting;
        this.globals = LuaSandbox.create(RedisLib.create(scripting), scripting.random);
    }

    ProtectedGlobals globals() {
        return globals;
    }

    /** The script with this SHA (any case), or null. */
    Script get(String sha) {
        return cache.get(sha.toLowerCase(java.util.Locale.ROOT));
    }

    boolean exists(String sha) {
        return cache.containsKey(sha);
    }

    /** Compiles and caches {@code body} (or returns the cached script); throws the error to reply. */
    Script create(byte[] body) {
        String sha = Sha1.hex(body);
        Script s = cache.get(sha);
        if (s != null) {
            return s;
        }
        ScriptFlags.Shebang shebang = ScriptFlags.parseEval(body);
        LuaValue fn;
        try {
            fn = Chunks.compile(globals, body, shebang.length(), "@user_script", globals);
        } catch (LuaError e) {
            throw new ScriptException("ERR Error compiling script (new function): " + Chunks.compileMessage(e));
        }
        s = new Script(sha, body, shebang.flags(), fn);
        cache.put(sha, s);
        bodyBytes += body.length + 40;
        return s;
    }

    int size() {
        return cache.size();
    }

    /** Bytes the cache holds (bodies, names, entries), as used_memory_scripts_eval. */
    long memory() {
        return bodyBytes + cache.size() * 96L;
    }

    /** A rough figure for the Lua state's memory (used_memory_lua). */
    long vmMemory() {
        return 31744 + bodyBytes * 4;
    }

    /** SCRIPT FLUSH: forget every script and start from a fresh Lua state. */
    void flush() {
        cache.clear();
        bodyBytes = 0;
        globals = LuaSandbox.create(RedisLib.create(scripting), scripting.random);
    }
}
