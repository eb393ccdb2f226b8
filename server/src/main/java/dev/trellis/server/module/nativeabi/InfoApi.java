package dev.trellis.server.module.nativeabi;

import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleContext.AutoKind;
import dev.trellis.server.module.ModuleHost;
import dev.trellis.server.module.ModuleInfo;
import dev.trellis.server.resp.DoubleFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * INFO for and from modules: RegisterInfoFunc with the InfoAdd* family (module sections), and
 * GetServerInfo with the ServerInfoGetField* family (reading the server's INFO fields).
 */
final class InfoApi {
    static final long TAG_INFO_CTX = 0x5452454c4c494e46L;  // "TRELLINF"
    static final long TAG_INFO_DATA = 0x5452454c4c494454L; // "TRELLIDT"
    private static final int OK = 0;
    private static final int ERR = 1;

    private InfoApi() {
    }

    // --- module sections ----------------------------------------------------------------

    @Api(onError = ERR)
    static int RegisterInfoFunc(long ctxp, long callback) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        if (ctx.module() == null) {
            return ERR;
        }
        ModuleInfo.of(ctx.host()).register(ctx.module(), (ictx, crash) -> {
            NativeRuntime rt = NativeRuntime.get();
            ictx.address = rt.handles.create(ictx, TAG_INFO_CTX);
            try {
                NativeCalls.v_ji(callback, ictx.address, crash ? 1 : 0);
            } finally {
                rt.handles.release(ictx.address);
                ictx.address = 0;
            }
        });
        return OK;
    }

    static ModuleInfo.InfoContext info(long p) {
        ModuleInfo.InfoContext c = (ModuleInfo.InfoContext) NativeRuntime.get().handles.get(p, TAG_INFO_CTX);
        if (c == null) {
            throw new IllegalArgumentException("not a RedisModuleInfoCtx: 0x" + Long.toHexString(p));
        }
        return c;
    }

    private static String text(long p) {
        return p == 0 ? "" : Native.readCString(p);
    }

    @Api(onError = ERR)
    static int InfoAddSection(long ictx, long namep) {
        return info(ictx).addSection(namep == 0 ? null : Native.readCString(namep)) ? OK : ERR;
    }

    @Api(onError = ERR)
    static int InfoBeginDictField(long ictx, long namep) {
        return info(ictx).beginDict(text(namep)) ? OK : ERR;
    }

    @Api(onError = ERR)
    static int InfoEndDictField(long ictx) {
        return info(ictx).endDict() ? OK : ERR;
    }

    @Api(onError = ERR)
    static int InfoAddFieldString(long ictx, long field, long value) {
        String v = new String(NativeStrings.bytes(value), StandardCharsets.ISO_8859_1);
        return info(ictx).addField(text(field), v) ? OK : ERR;
    }

    @Api(onError = ERR)
    static int InfoAddFieldCString(long ictx, long field, long value) {
        return info(ictx).addField(text(field), text(value)) ? OK : ERR;
    }

    @Api(onError = ERR)
    static int InfoAddFieldDouble(long ictx, long field, double value) {
        return info(ictx).addField(text(field), DoubleFormat.g17(value)) ? OK : ERR;
    }

    @Api(onError = ERR)
    static int InfoAddFieldLongLong(long ictx, long field, long value) {
        return info(ictx).addField(text(field), Long.toString(value)) ? OK : ERR;
    }

    @Api(onError = ERR)
    static int InfoAddFieldULongLong(long ictx, long field, long value) {
        return info(ictx).addField(text(field), Long.toUnsignedString(value)) ? OK : ERR;
    }

    // --- reading the server's INFO ------------------------------------------------------

    /** RedisModuleServerInfoData: INFO's fields, with C copies of values handed out. */
    static final class ServerInfoData {
        final Map<String, String> fields = new HashMap<>();
        final Map<String, Long> cValues = new HashMap<>();
        long address;

        void free() {
            for (long p : cValues.values()) {
                Native.free(p);
            }
            cValues.clear();
        }
    }

    static ServerInfoData data(long p) {
        ServerInfoData d = (ServerInfoData) NativeRuntime.get().handles.get(p, TAG_INFO_DATA);
        if (d == null) {
            throw new IllegalArgumentException("not a RedisModuleServerInfoData: 0x" + Long.toHexString(p));
        }
        return d;
    }

    @Api
    static long GetServerInfo(long ctxp, long sectionp) {
        ModuleContext ctx = ctxp == 0 ? null : CoreApi.ctx(ctxp);
        ModuleHost host = ctx != null ? ctx.host() : HostTracker.any();
        List<String> args = new ArrayList<>();
        if (sectionp != 0) {
            args.add(Native.readCString(sectionp));
        }
        String text = host.server().info().generate(args);
        ServerInfoData d = new ServerInfoData();
        for (String line : text.split("\r\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int sep = line.indexOf(':');
            if (sep < 0) {
                continue;
            }
            d.fields.putIfAbsent(line.substring(0, sep), line.substring(sep + 1));
        }
        d.address = NativeRuntime.get().handles.create(d, TAG_INFO_DATA);
        if (ctx != null) {
            ctx.autoMemoryAdd(AutoKind.INFO, d.address);
        }
        return d.address;
    }

    @Api
    static void FreeServerInfo(long ctxp, long datap) {
        if (ctxp != 0) {
            CoreApi.ctx(ctxp).autoMemoryFreed(AutoKind.INFO, datap);
        }
        free(datap);
    }

    /** Frees server info data (FreeServerInfo, or auto memory). */
    static void free(long datap) {
        ServerInfoData d = (ServerInfoData) NativeRuntime.get().handles.get(datap, TAG_INFO_DATA);
        if (d != null) {
            d.free();
            NativeRuntime.get().handles.release(datap);
        }
    }

    @Api
    static long ServerInfoGetField(long ctxp, long datap, long fieldp) {
        String v = data(datap).fields.get(Native.readCString(fieldp));
        if (v == null) {
            return 0;
        }
        byte[] b = v.getBytes(StandardCharsets.ISO_8859_1);
        return ctxp == 0 ? NativeStrings.create(b) : StringApi.create(ctxp, b);
    }

    @Api
    static long ServerInfoGetFieldC(long datap, long fieldp) {
        ServerInfoData d = data(datap);
        String f = Native.readCString(fieldp);
        String v = d.fields.get(f);
        if (v == null) {
            return 0;
        }
        return d.cValues.computeIfAbsent(f, k -> Native.cString(v.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static void err(long outErr, boolean ok) {
        if (outErr != 0) {
            Native.putInt(outErr, ok ? OK : ERR);
        }
    }

    @Api
    static long ServerInfoGetFieldSigned(long datap, long fieldp, long outErr) {
        String v = data(datap).fields.get(Native.readCString(fieldp));
        Long n = v == null ? null : StringApi.parseLong(v.getBytes(StandardCharsets.ISO_8859_1));
        err(outErr, n != null);
        return n == null ? 0 : n;
    }

    @Api
    static long ServerInfoGetFieldUnsigned(long datap, long fieldp, long outErr) {
        String v = data(datap).fields.get(Native.readCString(fieldp));
        long r = 0;
        boolean ok = false;
        if (v != null && !v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
            try {
                r = Long.parseUnsignedLong(v);
                ok = true;
            } catch (NumberFormatException ignored) {
                // out of range
            }
        }
        err(outErr, ok);
        return ok ? r : 0;
    }

    @Api
    static double ServerInfoGetFieldDouble(long datap, long fieldp, long outErr) {
        String v = data(datap).fields.get(Native.readCString(fieldp));
        double r = 0;
        boolean ok = false;
        if (v != null && !v.isEmpty() && !Character.isWhitespace(v.charAt(0))) {
            try {
                r = Double.parseDouble(v);
                ok = !Double.isNaN(r);
            } catch (NumberFormatException ignored) {
                // not a number
            }
        }
        err(outErr, ok);
        return ok ? r : 0;
    }
}
