package dev.trellis.server.module.nativeabi;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleHost;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

/** Clocks, client and context introspection, randomness, logging, assertions. */
final class MiscApi {
    /** REDISMODULE_CTX_FLAGS_* bits. */
    static final int F_LUA = 1;
    static final int F_MULTI = 1 << 1;
    static final int F_MASTER = 1 << 2;
    static final int F_SLAVE = 1 << 3;
    static final int F_READONLY = 1 << 4;
    static final int F_AOF = 1 << 6;
    static final int F_RDB = 1 << 7;
    static final int F_MAXMEMORY = 1 << 8;
    static final int F_EVICT = 1 << 9;
    static final int F_OOM = 1 << 10;
    static final int F_OOM_WARNING = 1 << 11;
    static final int F_REPLICATED = 1 << 12;
    static final int F_REPLICA_IS_STALE = 1 << 14;
    static final int F_REPLICA_IS_CONNECTING = 1 << 15;
    static final int F_REPLICA_IS_ONLINE = 1 << 17;
    static final int F_MULTI_DIRTY = 1 << 19;
    static final int F_RESP3 = 1 << 22;
    static final int F_DENY_BLOCKING = 1 << 21;
    static final int F_SERVER_STARTUP = 1 << 24;
    static final int F_ALL = (1 << 25) - 1;
    static final int LOG_MAX_LEN = 1024;

    private static final SecureRandom SEED = new SecureRandom();

    private MiscApi() {
    }

    @Api
    static long Milliseconds() {
        return System.currentTimeMillis();
    }

    @Api
    static long Microseconds() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    @Api
    static long MonotonicMicroseconds() {
        return System.nanoTime() / 1000;
    }

    /** The time cached at the start of the running command (as Redis's cached clock). */
    @Api
    static long CachedMicroseconds() {
        ModuleHost h = HostTracker.any();
        if (h != null) {
            return h.server().keyspace().now() * 1000;
        }
        return Microseconds();
    }

    @Api
    static long GetClientId(long ctxp) {
        Client c = CoreApi.ctx(ctxp).client();
        return c == null ? 0 : c.id();
    }

    @Api
    static int GetContextFlags(long ctxp) {
        ModuleContext ctx = ctxp == 0 ? null : NativeRuntime.get().context(ctxp);
        ModuleHost host = ctx != null ? ctx.host() : HostTracker.any();
        int flags = 0;
        if (ctx != null && ctx.client() != null) {
            Client c = ctx.client();
            if (c.protocol() == 3) {
                flags |= F_RESP3;
            }
            if ((c.flags & Client.FLAG_MASTER) != 0) {
                flags |= F_REPLICATED;
            }
            if ((c.flags & Client.FLAG_MULTI) != 0) {
                flags |= F_MULTI;
            }
            if ((c.flags & Client.FLAG_DIRTY_CAS) != 0) {
                flags |= F_MULTI_DIRTY;
            }
            var scripting = host == null ? null : dev.trellis.server.scripting.Scripting.of(host.server());
            if (host != null && host.callDeniesBlocking(c) || (c.flags & Client.FLAG_MULTI) != 0
                    || scripting != null && scripting.isScriptClient(c)) {
                // A command run by RM_Call without 'K', or inside EXEC, must reply at once.
                flags |= F_DENY_BLOCKING;
            }
        }
        var role = host != null ? host.server().propagation().replicaRole() : null;
        if (role == null) {
            flags |= F_MASTER;
        } else {
            // A replica: modules use this to leave writes to the master (Redis's masterhost test).
            flags |= F_SLAVE;
            if (role.readOnly()) {
                flags |= F_READONLY;
            }
            flags |= role.linkUp() ? F_REPLICA_IS_ONLINE : F_REPLICA_IS_CONNECTING | F_REPLICA_IS_STALE;
        }
        if (host != null) {
            var scripting = dev.trellis.server.scripting.Scripting.of(host.server());
            if (scripting != null && scripting.running()) {
                flags |= F_LUA; // Redis's scriptIsRunning(): any context while a script runs
            }
            if (host.server().transactions().inExec()) {
                flags |= F_MULTI; // Redis's server.in_exec: any context while EXEC runs
            }
            var cfg = host.server().config();
            if (cfg.maxmemory > 0) {
                flags |= F_MAXMEMORY;
                if (!cfg.maxmemoryPolicy.equals("noeviction")) {
                    flags |= F_EVICT;
                }
            }
            if (cfg.appendOnly) {
                flags |= F_AOF;
            }
            if (!cfg.save.isBlank()) {
                flags |= F_RDB;
            }
            float level = host.usedMemoryRatio();
            if (host.overMemoryLimit()) {
                flags |= F_OOM;
            }
            if (level > 0.75f) {
                flags |= F_OOM_WARNING;
            }
            if (host.startingUp()) {
                flags |= F_SERVER_STARTUP;
            }
        }
        return flags;
    }

    @Api
    static int GetContextFlagsAll() {
        return F_ALL;
    }

    @Api
    static void GetRandomBytes(long dst, long len) {
        byte[] b = new byte[(int) len];
        ThreadLocalRandom.current().nextBytes(b);
        Native.copy(b, 0, dst, b.length);
    }

    @Api
    static void GetRandomHexChars(long dst, long len) {
        byte[] b = new byte[(int) len];
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) "0123456789abcdef".charAt(r.nextInt(16));
        }
        Native.copy(b, 0, dst, b.length);
    }

    /** Propagates the running command exactly as the client sent it. */
    @Api
    static int ReplicateVerbatim(long ctxp) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        Client c = ctx.client();
        if (c != null && c.argv != null) {
            ctx.host().replicate(ctx, java.util.Arrays.copyOf(c.argv, c.argc));
        }
        return 0;
    }

    @Api
    static int AvoidReplicaTraffic() {
        return 0;
    }

    @Api
    static int IsIOError(long io) {
        return RdbIoApi.isIOError(io);
    }

    /**
     * A module assertion failed: Redis logs it and crashes on purpose, and so do we (a module
     * that asserts has found its own state corrupt).
     */
    @Api
    static void _Assert(long estr, long file, int line) {
        ServerLog log = ServerLog.get();
        log.warning("=== ASSERTION FAILED ===");
        log.warning("==> " + Native.readCString(file) + ":" + line + " '" + Native.readCString(estr) + "' is not true");
        log.warning("Trellis " + Server.TRELLIS_VERSION + " crashed by a module assertion");
        Runtime.getRuntime().halt(1);
    }

    /** The shim's Log ends here with the formatted message. */
    static void log(long ctxp, long levelp, long msgp, long len) {
        ModuleContext ctx = ctxp == 0 ? null : NativeRuntime.get().context(ctxp);
        String name = ctx != null && ctx.module() != null ? ctx.module().name() : "module";
        logRaw(name, Native.readCString(levelp), Native.bytes(msgp, len));
    }

    static void logRaw(String module, String levelstr, byte[] msg) {
        int level = switch (levelstr == null ? "" : levelstr.toLowerCase()) {
            case "debug" -> ServerLog.DEBUG;
            case "notice" -> ServerLog.NOTICE;
            case "warning" -> ServerLog.WARNING;
            default -> ServerLog.VERBOSE;
        };
        if (!ServerLog.get().enabled(level)) {
            return;
        }
        String text = "<" + module + "> " + new String(msg, StandardCharsets.UTF_8);
        if (text.length() > LOG_MAX_LEN - 1) {
            text = text.substring(0, LOG_MAX_LEN - 1);
        }
        ServerLog.get().log(level, text);
    }

    static long seed() {
        return SEED.nextLong();
    }
}
