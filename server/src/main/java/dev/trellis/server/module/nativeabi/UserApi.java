package dev.trellis.server.module.nativeabi;

import dev.trellis.server.acl.Acl;
import dev.trellis.server.acl.AclLog;
import dev.trellis.server.acl.AclRuleException;
import dev.trellis.server.acl.User;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleHost;
import dev.trellis.server.module.ModuleUsers;
import dev.trellis.server.resp.ArgSplitter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Module users and ACL checks: CreateModuleUser/FreeModuleUser, SetModuleUserACL(String),
 * GetModuleUserACLString, GetModuleUserFromUserName, SetContextUser, the ACLCheck* functions,
 * ACL log entries, and authenticating the context's client as a user.
 */
final class UserApi {
    private static final int OK = 0;
    private static final int ERR = 1;
    private static final int ENOENT = 2;
    private static final int EACCES = 13;
    private static final int EINVAL = 22;
    static final long TAG_USER = 0x5452454c4c555352L; // "TRELLUSR"

    // REDISMODULE_CMD_KEY_* and REDISMODULE_CMD_CHANNEL_* bits.
    private static final int KEY_ACCESS = 1 << 4;
    private static final int KEY_UPDATE = 1 << 5;
    private static final int KEY_INSERT = 1 << 6;
    private static final int KEY_DELETE = 1 << 7;
    private static final int CHANNEL_PATTERN = 1;
    private static final int CHANNEL_PUBLISH = 1 << 1;
    private static final int CHANNEL_SUBSCRIBE = 1 << 2;
    private static final int CHANNEL_UNSUBSCRIBE = 1 << 3;

    /** A RedisModuleUser: the ACL user, and whether freeing the handle frees the user (CreateModuleUser). */
    record ModuleUser(User user, boolean owned) {
    }

    private UserApi() {
    }

    private static Acl acl() {
        ModuleHost h = HostTracker.any();
        return h.server().acl();
    }

    private static ModuleUser handle(long p) {
        Object o = NativeRuntime.get().handles.get(p, TAG_USER);
        if (o == null) {
            throw new IllegalArgumentException("not a RedisModuleUser: 0x" + Long.toHexString(p));
        }
        return (ModuleUser) o;
    }

    /** The user behind a handle (SetContextUser, Call's 'C'). */
    static User user(long p) {
        return p == 0 ? null : handle(p).user();
    }

    @Api
    static long CreateModuleUser(long namep) {
        User u = acl().createUnlinkedUser(Native.readCString(namep));
        return NativeRuntime.get().handles.create(new ModuleUser(u, true), TAG_USER);
    }

    /** Frees the handle; a user the module created is deleted, and its clients closed. */
    @Api
    static void FreeModuleUser(long p) {
        ModuleUser mu = handle(p);
        if (mu.owned()) {
            acl().closeClientsOf(mu.user());
        }
        NativeRuntime.get().handles.release(p);
    }

    @Api(onError = ERR)
    static int SetModuleUserACL(long p, long aclp) {
        try {
            acl().applyRule(handle(p).user(), Native.readCString(aclp));
            return OK;
        } catch (AclRuleException e) {
            NativeRuntime.get().errno(e.kind() == AclRuleException.Kind.UNKNOWN_NAME ? ENOENT : EINVAL);
            return ERR;
        }
    }

    @Api(onError = ERR)
    static int SetModuleUserACLString(long ctxp, long p, long aclp, long errp) {
        byte[][] parts = ArgSplitter.split(Native.readCString(aclp).getBytes(StandardCharsets.UTF_8));
        List<String> args = new ArrayList<>();
        if (parts != null) {
            for (byte[] b : parts) {
                args.add(new String(b, StandardCharsets.UTF_8));
            }
        }
        String err = parts == null ? "Unbalanced quotes" : acl().setUserRules(handle(p).user(), args);
        if (err == null) {
            return OK;
        }
        if (errp != 0) {
            byte[] b = err.getBytes(StandardCharsets.UTF_8);
            Native.putLong(errp, ctxp == 0 ? NativeStrings.create(b) : StringApi.create(ctxp, b));
        }
        return ERR;
    }

    @Api
    static long GetModuleUserACLString(long p) {
        return NativeStrings.create(handle(p).user().describe().getBytes(StandardCharsets.UTF_8));
    }

    @Api
    static long GetModuleUserFromUserName(long namep) {
        User u = acl().user(new String(NativeStrings.bytes(namep), StandardCharsets.UTF_8));
        if (u == null) {
            return 0;
        }
        return NativeRuntime.get().handles.create(new ModuleUser(u, false), TAG_USER);
    }

    @Api
    static void SetContextUser(long ctxp, long p) {
        CoreApi.ctx(ctxp).user = user(p);
    }

    @Api(onError = ERR)
    static int ACLCheckCommandPermissions(long p, long argvp, int argc) {
        User u = handle(p).user();
        byte[][] argv = Argv.read(argvp, argc);
        Command cmd = argc == 0 ? null : HostTracker.any().server().commands().lookup(argv[0]);
        if (cmd != null && argc > 1 && !cmd.subcommands().isEmpty()) {
            cmd = cmd.subcommand(new String(argv[1], StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT));
        }
        if (cmd == null) {
            NativeRuntime.get().errno(ENOENT);
            return ERR;
        }
        if (acl().check(u, cmd, argv, argc) != Acl.OK) {
            NativeRuntime.get().errno(EACCES);
            return ERR;
        }
        return OK;
    }

    @Api(onError = ERR)
    static int ACLCheckKeyPermissions(long p, long keyp, int flags) {
        int allowed = KEY_ACCESS | KEY_INSERT | KEY_DELETE | KEY_UPDATE;
        if ((flags & allowed) != flags) {
            NativeRuntime.get().errno(EINVAL);
            return ERR;
        }
        boolean read = (flags & KEY_ACCESS) != 0;
        boolean write = (flags & (KEY_INSERT | KEY_DELETE | KEY_UPDATE)) != 0;
        if (!acl().keyAllowed(handle(p).user(), NativeStrings.bytes(keyp), read, write)) {
            NativeRuntime.get().errno(EACCES);
            return ERR;
        }
        return OK;
    }

    @Api(onError = ERR)
    static int ACLCheckChannelPermissions(long p, long chp, int flags) {
        int allowed = CHANNEL_PUBLISH | CHANNEL_SUBSCRIBE | CHANNEL_UNSUBSCRIBE | CHANNEL_PATTERN;
        if ((flags & allowed) != flags) {
            NativeRuntime.get().errno(EINVAL);
            return ERR;
        }
        if ((flags & CHANNEL_UNSUBSCRIBE) != 0) {
            return OK;
        }
        boolean pattern = (flags & CHANNEL_PATTERN) != 0;
        return acl().channelAllowed(handle(p).user(), NativeStrings.bytes(chp), pattern) ? OK : ERR;
    }

    /** RedisModuleACLLogEntryReason to the log's reason, or 0 when unknown. */
    private static int reason(int r) {
        return switch (r) {
            case 0 -> AclLog.REASON_AUTH;
            case 1 -> AclLog.REASON_CMD;
            case 2 -> AclLog.REASON_KEY;
            case 3 -> AclLog.REASON_CHANNEL;
            default -> 0;
        };
    }

    @Api
    static void ACLAddLogEntry(long ctxp, long p, long objectp, int r) {
        addLog(ctxp, handle(p).user().name(), objectp, r);
    }

    @Api
    static void ACLAddLogEntryByUserName(long ctxp, long userp, long objectp, int r) {
        addLog(ctxp, new String(NativeStrings.bytes(userp), StandardCharsets.UTF_8), objectp, r);
    }

    private static void addLog(long ctxp, String username, long objectp, int r) {
        int reason = reason(r);
        if (reason == 0) {
            return;
        }
        ModuleContext ctx = CoreApi.ctx(ctxp);
        String object = new String(NativeStrings.bytes(objectp), StandardCharsets.UTF_8);
        ctx.host().server().acl().addLog(ctx.client(), reason, AclLog.CONTEXT_MODULE, object, username);
    }

    @Api(onError = ERR)
    static int AuthenticateClientWithUser(long ctxp, long p, long callback, long privdata, long idp) {
        return authenticate(ctxp, handle(p).user(), callback, privdata, idp);
    }

    @Api(onError = ERR)
    static int AuthenticateClientWithACLUser(long ctxp, long namep, long len, long callback, long privdata, long idp) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        User u = ctx.host().server().acl().user(new String(Native.bytes(namep, len), StandardCharsets.UTF_8));
        if (u == null) {
            return ERR;
        }
        return authenticate(ctxp, u, callback, privdata, idp);
    }

    private static int authenticate(long ctxp, User u, long callback, long privdata, long idp) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        Client c = ctx.client();
        ModuleUsers.Callback cb = null;
        if (callback != 0 && c != null) {
            long id = c.id();
            cb = new ModuleUsers.Callback(ctx.module(), () -> NativeCalls.v_jj(callback, id, privdata));
        }
        if (!ModuleUsers.of(ctx.host()).authenticate(c, u, ctx.module(), cb)) {
            return ERR;
        }
        if (idp != 0) {
            Native.putLong(idp, c.id());
        }
        return OK;
    }

    @Api
    static void RegisterAuthCallback(long ctxp, long fn) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        dev.trellis.server.module.Module m = ctx.module();
        ModuleHost host = ctx.host();
        if (m == null || fn == 0) {
            return;
        }
        host.auth().register(m, (c, user, pass, err) -> {
            NativeRuntime rt = NativeRuntime.get();
            ModuleContext cb = rt.openContext(host, m, c, 0);
            try {
                return invokeAuth(fn, cb, user, pass, err);
            } finally {
                Contexts.finish(rt, cb);
            }
        });
    }

    /**
     * Calls a RedisModuleAuthCallback {@code int f(ctx, username, password, &err)}: the
     * strings live for the call; an error string the module made is read and freed, as Redis
     * frees it (unless the context's auto memory owns it).
     */
    static int invokeAuth(long fn, ModuleContext ctx, byte[] user, byte[] pass, String[] err) {
        long u = NativeStrings.create(user);
        long p = NativeStrings.create(pass);
        long slot = Native.malloc(8);
        Native.putLong(slot, 0);
        try {
            int rc = NativeCalls.i_jjjj(fn, ctx.address, u, p, slot);
            long e = Native.getLong(slot);
            if (e != 0) {
                err[0] = new String(NativeStrings.bytes(e), StandardCharsets.UTF_8);
                if (!ctx.has(ModuleContext.AUTO_MEMORY)) {
                    NativeStrings.release(e);
                }
            }
            return rc;
        } finally {
            NativeStrings.release(u);
            NativeStrings.release(p);
            Native.free(slot);
        }
    }

    @Api(onError = ERR)
    static int DeauthenticateAndCloseClient(long ctxp, long id) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        Client c = ClientApi.byId(ctx.host(), id);
        if (c == null || c.isInternal()) {
            return ERR;
        }
        ctx.host().server().acl().deauthenticateAndClose(c);
        return OK;
    }
}
