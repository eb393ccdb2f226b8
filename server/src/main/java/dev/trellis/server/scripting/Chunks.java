package dev.trellis.server.scripting;

import java.io.ByteArrayInputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.Globals;
import org.luaj.vm2.Lua;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/**
 * Compiles script code. LuaJ runs a tail call after the calling function has returned, so an
 * error raised there (say by {@code return redis.call(...)}) carries no script position, where
 * Redis reports the line: tail calls are compiled as plain calls followed by the return the
 * compiler always emits after them. Compile errors get Lua 5.1's wording for the token.
 */
final class Chunks {
    private static final Pattern UNEXPECTED = Pattern.compile("unexpected symbol (\\d+) \\(.*\\)$", Pattern.DOTALL);
    private static final String[] TOKENS = {"and", "break", "do", "else", "elseif", "end", "false", "for", "function",
        "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while", "..",
        "...", "==", ">=", "<=", "~=", "::", "<eof>", "<number>", "<number>", "<name>", "<string>"};

    private Chunks() {
    }

    /** Compiles {@code code[from..]} as chunk {@code name} with {@code env} as its globals; throws LuaError. */
    static LuaClosure compile(Globals g, byte[] code, int from, String name, LuaValue env) {
        Prototype p;
        try {
            p = g.compilePrototype(new ByteArrayInputStream(code, from, code.length - from), name);
        } catch (java.io.IOException e) {
            throw new LuaError(e.getMessage());
        }
        untail(p);
        return new LuaClosure(p, env);
    }

    private static void untail(Prototype p) {
        int[] code = p.code;
        for (int i = 0; i < code.length; i++) {
            int ins = code[i];
            if ((ins & 0x3f) == Lua.OP_TAILCALL) {
                // TAILCALL A B 0 -> CALL A B 0 (keep every result); the next RETURN A 0 returns them.
                code[i] = (ins & ~0x3f & ~(0x1ff << 14)) | Lua.OP_CALL;
            }
        }
        if (p.p != null) {
            for (Prototype sub : p.p) {
                untail(sub);
            }
        }
    }

    /** A compile error's message in Lua 5.1's words. */
    static String compileMessage(LuaError e) {
        String m = LuaErrors.message(e);
        Matcher mt = UNEXPECTED.matcher(m);
        if (mt.find()) {
            int tok = Integer.parseInt(mt.group(1));
            String name = tok < 257 ? String.valueOf((char) tok) : tok - 257 < TOKENS.length ? TOKENS[tok - 257] : "?";
            m = m.substring(0, mt.start()) + "unexpected symbol near '" + name + "'";
        }
        return m;
    }
}
