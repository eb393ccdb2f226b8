package dev.trellis.server.scripting;

import dev.trellis.server.resp.ArgSplitter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Script flags: those an EVAL script declares in its {@code #!lua flags=...} shebang, or a
 * function in {@code redis.register_function}. A script without a shebang runs in
 * compatibility mode: Redis then decides per called command instead of up front.
 */
final class ScriptFlags {
    static final int NO_WRITES = 1;
    static final int ALLOW_OOM = 1 << 1;
    static final int ALLOW_STALE = 1 << 2;
    static final int NO_CLUSTER = 1 << 3;
    static final int EVAL_COMPAT_MODE = 1 << 4;
    static final int ALLOW_CROSS_SLOT = 1 << 5;

    /** Flag names in Redis's order (FUNCTION LIST shows them in this order). */
    static final List<String> NAMES = List.of("no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys");
    private static final int[] BITS = {NO_WRITES, ALLOW_OOM, ALLOW_STALE, NO_CLUSTER, ALLOW_CROSS_SLOT};

    private ScriptFlags() {
    }

    /** The bit of a flag name, or 0 when unknown. */
    static int bit(String name) {
        int i = NAMES.indexOf(name);
        return i < 0 ? 0 : BITS[i];
    }

    /** The names of the flags set in {@code flags}, in Redis's order. */
    static List<String> names(int flags) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < BITS.length; i++) {
            if ((flags & BITS[i]) != 0) {
                out.add(NAMES.get(i));
            }
        }
        return out;
    }

    /** A parsed EVAL body: its flags and the length of the shebang line (kept out of the code, its newline kept). */
    record Shebang(int flags, int length) {
    }

    /** Reads an EVAL body's shebang; throws the error Redis replies for a bad one. */
    static Shebang parseEval(byte[] body) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return new Shebang(EVAL_COMPAT_MODE, 0);
        }
        int end = indexOf(body, (byte) '\n');
        if (end < 0) {
            throw new ScriptException("ERR Invalid script shebang");
        }
        byte[][] parts;
        try {
            parts = ArgSplitter.split(java.util.Arrays.copyOf(body, end));
        } catch (RuntimeException e) {
            parts = null;
        }
        if (parts == null || parts.length == 0) {
            throw new ScriptException("ERR Invalid engine in script shebang");
        }
        String engine = new String(parts[0], StandardCharsets.UTF_8);
        if (!engine.equals("#!lua")) {
            throw new ScriptException("ERR Unexpected engine in script shebang: " + engine);
        }
        int flags = 0;
        for (int j = 1; j < parts.length; j++) {
            String p = new String(parts[j], StandardCharsets.UTF_8);
            if (p.startsWith("flags=")) {
                String list = p.substring(6);
                if (list.isEmpty()) {
                    continue;
                }
                for (String f : list.split(",", -1)) {
                    int b = bit(f);
                    if (b == 0) {
                        throw new ScriptException("ERR Unexpected flag in script shebang: " + f);
                    }
                    flags |= b;
                }
            } else {
                throw new ScriptException("ERR Unknown lua shebang option: " + p);
            }
        }
        return new Shebang(flags, end);
    }

    static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }
}
