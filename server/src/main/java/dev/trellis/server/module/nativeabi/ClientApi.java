package dev.trellis.server.module.nativeabi;

import dev.trellis.server.client.Client;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleHost;
import java.nio.charset.StandardCharsets;

/**
 * Clients by id: GetClientInfoById (the versioned RedisModuleClientInfo), names
 * (GetClientNameById, SetClientNameById), users (GetClientUserNameById, GetCurrentUserName),
 * RedactClientCommandArgument and GetClientCertificate (no TLS here: always NULL).
 */
final class ClientApi {
    private static final int OK = 0;
    private static final int ERR = 1;
    private static final int ENOENT = 2;
    private static final int EINVAL = 22;

    private ClientApi() {
    }

    private static ModuleHost host() {
        return HostTracker.any();
    }

    /** A connected client, the client of the running command, or null. */
    static Client byId(ModuleHost host, long id) {
        if (host == null) {
            return null;
        }
        Client c = host.server().clients().get(id);
        if (c == null) {
            Client cur = host.server().dispatcher().current();
            if (cur != null && cur.id() == id) {
                c = cur;
            }
        }
        return c;
    }

    /** GetClientInfoById: fills the caller's structure (version 1); ERR when there is no such client. */
    @Api(onError = ERR)
    static int GetClientInfoById(long ci, long id) {
        Client c = byId(host(), id);
        if (c == null) {
            return ERR;
        }
        if (ci == 0) {
            return OK;
        }
        long version = Native.getLong(ci);
        if (version != 1) {
            return ERR;
        }
        EventApi.ClientInfo.fill(ci, c);
        return OK;
    }

    @Api
    static long GetClientNameById(long ctxp, long id) {
        Client c = byId(host(), id);
        if (c == null || c.name() == null || c.name().isEmpty()) {
            NativeRuntime.get().errno(c == null ? ENOENT : 0);
            return 0;
        }
        byte[] b = c.name().getBytes(StandardCharsets.UTF_8);
        return ctxp == 0 ? NativeStrings.create(b) : StringApi.create(ctxp, b);
    }

    /** SetClientNameById: CLIENT SETNAME's rules (no spaces or newlines); ERR with errno otherwise. */
    @Api(onError = ERR)
    static int SetClientNameById(long id, long namep) {
        Client c = byId(host(), id);
        if (c == null) {
            NativeRuntime.get().errno(ENOENT);
            return ERR;
        }
        byte[] b = NativeStrings.bytes(namep);
        for (byte x : b) {
            if (x < '!' || x > '~') {
                NativeRuntime.get().errno(EINVAL);
                return ERR;
            }
        }
        c.name(b.length == 0 ? null : new String(b, StandardCharsets.UTF_8));
        return OK;
    }

    @Api
    static long GetClientUserNameById(long ctxp, long id) {
        Client c = byId(host(), id);
        if (c == null) {
            NativeRuntime.get().errno(ENOENT);
            return 0;
        }
        if (c.aclUser() == dev.trellis.server.acl.Acl.SUPERUSER) {
            NativeRuntime.get().errno(95); // ENOTSUP: an internal client has no user
            return 0;
        }
        byte[] b = c.user().getBytes(StandardCharsets.UTF_8);
        return ctxp == 0 ? NativeStrings.create(b) : StringApi.create(ctxp, b);
    }

    @Api
    static long GetCurrentUserName(long ctxp) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        Client c = ctx.client();
        String user = c == null ? "default" : c.user();
        return StringApi.create(ctxp, user.getBytes(StandardCharsets.UTF_8));
    }

    /** Redacts an argument in SLOWLOG/MONITOR: accepted (Trellis logs arguments as given). */
    @Api(onError = ERR)
    static int RedactClientCommandArgument(long ctxp, int pos) {
        Client c = CoreApi.ctx(ctxp).client();
        if (c == null || pos <= 0 || pos >= c.argc) {
            return ERR;
        }
        c.redactArg(pos);
        return OK;
    }

    @Api
    static long GetClientCertificate(long ctxp, long id) {
        return 0;
    }
}
