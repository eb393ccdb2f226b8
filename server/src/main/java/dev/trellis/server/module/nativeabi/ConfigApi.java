package dev.trellis.server.module.nativeabi;

import dev.trellis.server.client.Client;
import dev.trellis.server.module.Module;
import dev.trellis.server.module.ModuleConfigs;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleHost;
import java.util.ArrayList;
import java.util.List;

/** Module configs: Register{Bool,Numeric,String,Enum}Config and LoadConfigs. */
final class ConfigApi {
    private static final int OK = 0;
    private static final int ERR = 1;

    private ConfigApi() {
    }

    /** The error a setter or apply callback left in its {@code RedisModuleString **err}, freed. */
    private static String takeError(long errSlot) {
        long s = Native.getLong(errSlot);
        if (s == 0) {
            return "";
        }
        String text = new String(NativeStrings.bytes(s), java.nio.charset.StandardCharsets.ISO_8859_1);
        NativeStrings.release(s);
        return text;
    }

    /** A config's C callbacks; numbers cover bool (int), numeric (long long) and enum (int). */
    private record Callbacks(long cname, long get, long set, long privdata, boolean intValued, boolean string)
            implements ModuleConfigs.Callbacks {
        @Override
        public long getNumber() {
            return intValued ? NativeCalls.i_jj(get, cname, privdata) : NativeCalls.j_jj(get, cname, privdata);
        }

        @Override
        public byte[] getString() {
            long s = NativeCalls.j_jj(get, cname, privdata);
            return s == 0 ? null : NativeStrings.bytes(s);
        }

        @Override
        public String setNumber(long v) {
            long err = Native.calloc(8);
            try {
                int rc = intValued ? NativeCalls.i_jijj(set, cname, (int) v, privdata, err)
                        : NativeCalls.i_jjjj(set, cname, v, privdata, err);
                return rc == OK ? null : takeError(err);
            } finally {
                Native.free(err);
            }
        }

        @Override
        public String setString(byte[] v) {
            long err = Native.calloc(8);
            long s = NativeStrings.create(v);
            try {
                int rc = NativeCalls.i_jjjj(set, cname, s, privdata, err);
                return rc == OK ? null : takeError(err);
            } finally {
                NativeStrings.release(s);
                Native.free(err);
            }
        }
    }

    /** The apply callback, run with a context of the module. */
    private static ModuleConfigs.Apply apply(ModuleHost host, Module m, long fn, long privdata) {
        if (fn == 0) {
            return null;
        }
        return () -> {
            NativeRuntime rt = NativeRuntime.get();
            Client temp = host.tempClient();
            ModuleContext ctx = rt.openContext(host, m, temp, ModuleContext.TEMP_CLIENT);
            long err = Native.calloc(8);
            try {
                int rc = NativeCalls.i_jjj(fn, ctx.address, privdata, err);
                return rc == OK ? null : takeError(err);
            } finally {
                Native.free(err);
                Contexts.finish(rt, ctx);
                host.releaseTempClient(temp);
            }
        };
    }

    private static int register(long ctxp, long namep, ModuleConfigs.Kind kind, int flags, String def, long min, long max,
                                List<String> names, int[] values, long get, long set, long applyFn, long privdata) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        String name = Native.readCString(namep);
        ModuleHost host = ctx.host();
        Module m = ctx.module();
        long cname = Native.cString(name);
        Callbacks cb = new Callbacks(cname, get, set, privdata, kind != ModuleConfigs.Kind.NUMERIC,
                kind == ModuleConfigs.Kind.STRING);
        int errno = ModuleConfigs.of(host).register(m, name, kind, flags, def, min, max, names, values, cb,
                List.of(applyFn, privdata), apply(host, m, applyFn, privdata));
        if (errno != 0) {
            Native.free(cname);
            NativeRuntime.get().errno(errno);
            return ERR;
        }
        return OK;
    }

    @Api(onError = ERR)
    static int RegisterBoolConfig(long ctxp, long namep, int def, int flags, long get, long set, long apply, long privdata) {
        return register(ctxp, namep, ModuleConfigs.Kind.BOOL, flags, def != 0 ? "yes" : "no", 0, 1, null, null,
                get, set, apply, privdata);
    }

    @Api(onError = ERR)
    static int RegisterNumericConfig(long ctxp, long namep, long def, int flags, long min, long max, long get, long set,
                                     long apply, long privdata) {
        return register(ctxp, namep, ModuleConfigs.Kind.NUMERIC, flags, Long.toString(def), min, max, null, null,
                get, set, apply, privdata);
    }

    @Api(onError = ERR)
    static int RegisterStringConfig(long ctxp, long namep, long defp, int flags, long get, long set, long apply,
                                    long privdata) {
        return register(ctxp, namep, ModuleConfigs.Kind.STRING, flags, defp == 0 ? null : Native.readCString(defp), 0, 0,
                null, null, get, set, apply, privdata);
    }

    @Api(onError = ERR)
    static int RegisterEnumConfig(long ctxp, long namep, int def, int flags, long namesp, long valuesp, int n, long get,
                                  long set, long apply, long privdata) {
        List<String> names = new ArrayList<>(n);
        int[] values = new int[n];
        String defName = null;
        for (int i = 0; i < n; i++) {
            names.add(Native.readCString(Native.getLong(namesp + 8L * i)));
            values[i] = Native.getInt(valuesp + 4L * i);
            if (values[i] == def && defName == null) {
                defName = names.get(i);
            }
        }
        if (defName == null) {
            // A default that is a combination of bit flags: named by the flags it covers.
            List<String> parts = new ArrayList<>();
            int left = def;
            for (int i = 0; i < n; i++) {
                if (values[i] != 0 && (left & values[i]) == values[i]) {
                    parts.add(names.get(i));
                    left &= ~values[i];
                }
            }
            defName = String.join(" ", parts);
        }
        return register(ctxp, namep, ModuleConfigs.Kind.ENUM, flags, defName, 0, 0, names, values, get, set, apply, privdata);
    }

    @Api(onError = ERR)
    static int LoadConfigs(long ctxp) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        return ModuleConfigs.of(ctx.host()).load(ctx.module()) ? OK : ERR;
    }
}
