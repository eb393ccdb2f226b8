package dev.trellis.server.scripting;

import java.util.IdentityHashMap;
import java.util.Map;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.BaseLib;
import org.luaj.vm2.lib.CoroutineLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseMathLib;

/**
 * Builds the Lua environment Redis gives scripts: the base library without file access or
 * print, table, string, math (Redis's deterministic random), coroutine, cjson, bit, and the
 * {@code redis} table; Lua 5.1 names scripts rely on that LuaJ (5.2) lacks are added
 * (unpack, loadstring, table.getn/maxn, _VERSION). Then every table reachable from the
 * globals is made read-only and the globals refuse unknown names, as Redis locks its state.
 */
final class LuaSandbox {
    private LuaSandbox() {
    }

    /** Builds and locks a state whose {@code redis} table is {@code redis}. */
    static ProtectedGlobals create(LuaTable redis, Lrand48 random) {
        ProtectedGlobals g = new ProtectedGlobals();
        g.load(new BaseLib());
        g.load(new org.luaj.vm2.lib.PackageLib()); // the other libraries register in package.loaded; removed below
        g.load(new TableLib());
        g.load(new StringLib());
        g.load(new JseMathLib());
        g.load(new CoroutineLib());
        LoadState.install(g);
        LuaC.install(g);
        LuaTable gt = g;
        for (String unsafe : new String[] {"dofile", "loadfile", "print", "rawlen", "require", "module", "package"}) {
            gt.rawset(unsafe, LuaValue.NIL);
        }
        gt.rawset("_VERSION", LuaValue.valueOf("Lua 5.1"));
        LuaValue table = gt.rawget("table");
        gt.rawset("unpack", table.rawget("unpack"));
        ((LuaTable) table).rawset("concat", LuaFunctions.of("concat", LuaSandbox::concat));
        ((LuaTable) table).rawset("getn", LuaFunctions.of("getn", a -> LuaValue.valueOf(a.checktable(1).length())));
        ((LuaTable) table).rawset("maxn", LuaFunctions.of("maxn", a -> maxn(a.checktable(1))));
        gt.rawset("loadstring", LuaFunctions.of("loadstring", a -> loadstring(g, a)));
        gt.rawset("pcall", LuaFunctions.of("pcall", LuaSandbox::pcall));
        gt.rawset("error", LuaFunctions.of("error", LuaSandbox::error));
        gt.rawset("tostring", LuaFunctions.of("tostring", a -> tostring(a.checkvalue(1))));
        gt.rawset("gcinfo", LuaFunctions.of("gcinfo", a -> LuaValue.valueOf((int) (usedHeap() / 1024))));
        // Changing a read-only table from these C functions raises the error without a position in Redis.
        for (String name : new String[] {"setmetatable", "rawset"}) {
            LuaValue f = gt.rawget(name);
            gt.rawset(name, LuaFunctions.of(name, a -> {
                try {
                    return f.invoke(a);
                } catch (LuaError e) {
                    if (ReadOnlyTable.MESSAGE.equals(e.getMessage())) {
                        throw new LuaErrors.Bare(LuaValue.valueOf(ReadOnlyTable.MESSAGE));
                    }
                    throw e;
                }
            }));
        }
        LuaTable math = (LuaTable) gt.rawget("math");
        math.rawset("random", LuaFunctions.of("random", a -> random(random, a)));
        math.rawset("randomseed", LuaFunctions.of("randomseed", a -> {
            random.seed(a.checkint(1));
            return LuaValue.NONE;
        }));
        // Redis 7.4+ exposes os with os.clock only (scripts time themselves with it).
        LuaTable os = new LuaTable();
        long started = System.nanoTime();
        os.rawset("clock", LuaFunctions.of("clock", a -> LuaValue.valueOf((System.nanoTime() - started) / 1e9)));
        gt.rawset("os", os);
        gt.rawset("cjson", CjsonLib.create());
        gt.rawset("bit", BitLib.create());
        gt.rawset("cmsgpack", CmsgpackLib.create());
        gt.rawset("struct", StructLib.create());
        gt.rawset("redis", redis);
        lock(g);
        return g;
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Makes every table reachable from the globals read-only and the globals strict. */
    static void lock(ProtectedGlobals g) {
        Map<LuaValue, LuaValue> seen = new IdentityHashMap<>();
        seen.put(g, g);
        LuaValue k = LuaValue.NIL;
        java.util.List<LuaValue[]> entries = new java.util.ArrayList<>();
        while (true) {
            Varargs n = g.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            entries.add(new LuaValue[] {k, n.arg(2)});
        }
        for (LuaValue[] e : entries) {
            g.rawset(e[0], readOnly(e[1], seen));
        }
        ReadOnlyTable meta = new ReadOnlyTable();
        meta.rawset(LuaValue.INDEX, LuaFunctions.of("__index", a -> {
            throw new LuaError("Script attempted to access nonexistent global variable '" + a.arg(2).tojstring() + "'");
        }));
        meta.lock();
        g.setmetatable(meta);
        // Strings share one metatable ({__index = string}); it is made read-only too.
        ReadOnlyTable stringMeta = new ReadOnlyTable();
        stringMeta.rawset(LuaValue.INDEX, g.rawget("string"));
        stringMeta.lock();
        LuaString.s_metatable = stringMeta;
        g.locked(true);
    }

    private static LuaValue readOnly(LuaValue v, Map<LuaValue, LuaValue> seen) {
        if (!(v instanceof LuaTable t)) {
            return v;
        }
        LuaValue done = seen.get(v);
        if (done != null) {
            return done;
        }
        if (t instanceof ReadOnlyTable r && r.locked()) {
            return r;
        }
        ReadOnlyTable copy = new ReadOnlyTable();
        seen.put(v, copy);
        LuaValue k = LuaValue.NIL;
        while (true) {
            Varargs n = t.next(k);
            if ((k = n.arg1()).isnil()) {
                break;
            }
            copy.rawset(k, readOnly(n.arg(2), seen));
        }
        LuaValue mt = t.getmetatable();
        if (mt != null && !mt.isnil()) {
            copy.setmetatable(readOnly(mt, seen));
        }
        copy.lock();
        return copy;
    }

    /** table.concat with Lua 5.1's number format (LuaJ's goes through float). */
    private static Varargs concat(Varargs a) {
        LuaTable t = a.checktable(1);
        LuaString sep = a.arg(2).isnil() ? LuaString.valueOf("") : a.checkstring(2);
        int i = a.arg(3).isnil() ? 1 : a.checkint(3);
        int j = a.arg(4).isnil() ? t.length() : a.checkint(4);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int k = i; k <= j; k++) {
            LuaValue v = t.get(k);
            LuaString s;
            if (v.type() == LuaValue.TNUMBER) {
                s = LuaString.valueOf(NumberFormat.g(v.todouble(), 14));
            } else if (v.type() == LuaValue.TSTRING) {
                s = v.checkstring();
            } else {
                throw new LuaError("invalid value (at index " + k + ") in table for 'concat'");
            }
            out.write(s.m_bytes, s.m_offset, s.m_length);
            if (k < j) {
                out.write(sep.m_bytes, sep.m_offset, sep.m_length);
            }
        }
        return LuaString.valueOf(out.toByteArray());
    }

    private static Varargs maxn(LuaTable t) {
        double max = 0;
        LuaValue k = LuaValue.NIL;
        while (!(k = t.next(k).arg1()).isnil()) {
            if (k.type() == LuaValue.TNUMBER && k.todouble() > max) {
                max = k.todouble();
            }
        }
        return LuaValue.valueOf(max);
    }

    /** Lua 5.1's loadstring: text chunks only (Redis refuses binary ones), named after the code. */
    private static Varargs loadstring(ProtectedGlobals g, Varargs a) {
        LuaString code = a.checkstring(1);
        if (code.m_length > 0 && code.m_bytes[code.m_offset] == 27) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("binary chunks are not allowed"));
        }
        String name = a.arg(2).isnil() ? "=(load)" : a.arg(2).tojstring();
        try {
            byte[] b = java.util.Arrays.copyOfRange(code.m_bytes, code.m_offset, code.m_offset + code.m_length);
            return Chunks.compile(g, b, 0, name, g);
        } catch (LuaError e) {
            return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(LuaErrors.message(e)));
        }
    }

    /**
     * Redis's pcall: as Lua's, but an error table ({err=...}, what redis.call raises) is
     * returned as its message, as older Redis versions raised strings.
     */
    private static Varargs pcall(Varargs a) {
        LuaValue f = a.checkvalue(1);
        try {
            return LuaValue.varargsOf(LuaValue.TRUE, f.invoke(a.subargs(2)));
        } catch (LuaError e) {
            LuaValue v = LuaErrors.value(e);
            if (v.istable()) {
                LuaValue err = v.rawget(LuaErrors.ERR);
                if (err.isstring()) {
                    v = err;
                }
            }
            return LuaValue.varargsOf(LuaValue.FALSE, v);
        } catch (StackOverflowError e) {
            return LuaValue.varargsOf(LuaValue.FALSE, LuaValue.valueOf("stack overflow"));
        }
    }

    private static Varargs error(Varargs a) {
        LuaValue v = a.arg1();
        int level = a.arg(2).isnil() ? 1 : a.checkint(2);
        if (v.type() == LuaValue.TSTRING || v.type() == LuaValue.TNUMBER) {
            if (level == 0) {
                throw new LuaErrors.Bare(v.tostring());
            }
            throw new LuaError(v.tojstring());
        }
        throw new LuaError(v);
    }

    /** Lua 5.1's tostring: numbers with %.14g (LuaJ prints them through float). */
    static Varargs tostring(LuaValue v) {
        if (v.type() == LuaValue.TNUMBER) {
            return LuaValue.valueOf(NumberFormat.g(v.todouble(), 14));
        }
        LuaValue h = v.metatag(LuaValue.TOSTRING);
        if (!h.isnil()) {
            return h.call(v);
        }
        if (v.type() == LuaValue.TSTRING) {
            return v;
        }
        return LuaValue.valueOf(v.tojstring());
    }

    /** Redis's math.random over lrand48. */
    private static Varargs random(Lrand48 rng, Varargs a) {
        double r = (double) (rng.next() % Lrand48.MAX) / (double) Lrand48.MAX;
        switch (a.narg()) {
            case 0:
                return LuaValue.valueOf(r);
            case 1: {
                int u = a.checkint(1);
                if (u < 1) {
                    throw new LuaError("bad argument #1 to 'random' (interval is empty)");
                }
                return LuaValue.valueOf(Math.floor(r * u) + 1);
            }
            case 2: {
                int l = a.checkint(1);
                int u = a.checkint(2);
                if (l > u) {
                    throw new LuaError("bad argument #2 to 'random' (interval is empty)");
                }
                return LuaValue.valueOf(Math.floor(r * (u - l + 1)) + l);
            }
            default:
                throw new LuaError("wrong number of arguments");
        }
    }
}
