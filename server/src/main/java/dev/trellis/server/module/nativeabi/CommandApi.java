package dev.trellis.server.module.nativeabi;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.commands.server.KeyPositions;
import dev.trellis.server.module.CommandInfo;
import dev.trellis.server.module.Module;
import dev.trellis.server.module.ModuleCommand;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.ModuleHost;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Command registration, key/channel position requests and the call into a module command. */
final class CommandApi {
    /**
     * trellis_invoke_command(func, ctx, argv, argc): calls a command function and clears the
     * shim's marker of natively written replies when it returns (the caller flushes them).
     * A constant, so the downcall compiles inline.
     */
    private static final class Invoker {
        static final MethodHandle INVOKE = Native.downcall(NativeRuntime.get().shimSymbol("trellis_invoke_command"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    }
    /** C strings of command names handed out by GetCurrentCommandName (stable pointers). */
    private static final Map<Command, Long> NAMES = new IdentityHashMap<>();

    private static final int OK = 0;
    private static final int ERR = 1;
    /** errno values. */
    static final int EINVAL = 22;
    static final int EBUSY = 16;
    static final int ENOMEM = 12;
    static final int EEXIST = 17;

    private CommandApi() {
    }

    /** The module function behind a command. */
    record Target(long func, MemorySegment segment) {
    }

    static ModuleContext ctx(long p) {
        return CoreApi.ctx(p);
    }

    // --- registration -------------------------------------------------------------------

    @Api(onError = ERR)
    static int CreateCommand(long ctxp, long namep, long func, long flagsp, int first, int last, int step) {
        ModuleContext ctx = ctx(ctxp);
        Module m = ctx.module();
        String name = Native.readCString(namep);
        ModuleCommand[] self = new ModuleCommand[1];
        ModuleCommand mc = ModuleCommand.create(ctx.host(), m, name, func != 0, Native.readCString(flagsp),
                first, last, step, c -> dispatch(self[0], c));
        if (mc == null) {
            return ERR;
        }
        self[0] = mc;
        bind(mc, func);
        return OK;
    }

    @Api(onError = ERR)
    static int CreateSubcommand(long parentp, long namep, long func, long flagsp, int first, int last, int step) {
        ModuleCommand parent = command(parentp);
        if (parent == null) {
            return ERR;
        }
        ModuleCommand[] self = new ModuleCommand[1];
        ModuleCommand mc = parent.createSubcommand(Native.readCString(namep), func != 0, Native.readCString(flagsp),
                first, last, step, c -> dispatch(self[0], c));
        if (mc == null) {
            return ERR;
        }
        self[0] = mc;
        bind(mc, func);
        return OK;
    }

    private static void bind(ModuleCommand mc, long func) {
        if (func != 0) {
            mc.target = new Target(func, MemorySegment.ofAddress(func));
            if (mc.command().has(CommandFlags.MODULE_GETKEYS)) {
                mc.command().keyFinder(new ApiKeyFinder(mc));
            }
            if (mc.command().has(CommandFlags.MODULE_GETCHANNELS)) {
                mc.command().channelFinder((argv, argc) -> {
                    ModuleContext r = keysRequest(mc, argv, argc, ModuleContext.CHANNELS_POS_REQUEST);
                    Command.FlaggedChannels found = new Command.FlaggedChannels(r.keyPositions(), r.keyFlags());
                    NativeRuntime.get().recycle(r);
                    return found;
                });
            }
        }
    }

    @Api
    static long GetCommand(long ctxp, long namep) {
        ModuleContext ctx = ctx(ctxp);
        String name = Native.readCString(namep);
        Command c = ctx.host().server().commands().getFull(name);
        if (c == null || !(c.owner() instanceof ModuleCommand mc) || mc.module() != ctx.module()) {
            return 0;
        }
        return handle(mc);
    }

    /** The RedisModuleCommand* of {@code mc}, created once. */
    static long handle(ModuleCommand mc) {
        if (mc.address == 0) {
            mc.address = NativeRuntime.get().handles.create(mc, Handles.TAG_COMMAND);
        }
        return mc.address;
    }

    static ModuleCommand command(long p) {
        return (ModuleCommand) NativeRuntime.get().handles.get(p, Handles.TAG_COMMAND);
    }

    /** Releases the handles of an unloaded module's commands. */
    static void forget(Module m) {
        // Commands were already removed from the table; their handles die with the module.
    }

    static void forget(ModuleCommand mc) {
        if (mc.address != 0) {
            NativeRuntime.get().handles.release(mc.address);
            mc.address = 0;
        }
    }

    @Api(onError = ERR)
    static int SetCommandInfo(long cmdp, long infop) {
        ModuleCommand mc = command(cmdp);
        if (mc == null || infop == 0) {
            NativeRuntime.get().errno(EINVAL);
            return ERR;
        }
        CommandInfo info = CommandInfoReader.read(infop);
        if (info == null || !info.valid()) {
            NativeRuntime.get().errno(EINVAL);
            return ERR;
        }
        if (!info.apply(mc)) {
            NativeRuntime.get().errno(EEXIST);
            return ERR;
        }
        return OK;
    }

    @Api(onError = ERR)
    static int SetCommandACLCategories(long cmdp, long catsp) {
        ModuleCommand mc = command(cmdp);
        if (mc == null || !mc.module().inOnLoad()) {
            return ERR;
        }
        String cats = catsp == 0 ? "" : Native.readCString(catsp);
        ModuleHost host = mc.module().host();
        List<String> out = new ArrayList<>();
        if (!cats.isEmpty()) {
            for (String t : cats.split(" ", -1)) {
                String known = host.aclCategory(t);
                if (known == null) {
                    dev.trellis.server.log.ServerLog.get().warning("Unrecognized categories flag " + t + " on module load");
                    return ERR;
                }
                if (!out.contains(known)) {
                    out.add(known);
                }
            }
        }
        mc.command().aclCategories(out);
        return OK;
    }

    @Api(onError = ERR)
    static int AddACLCategory(long ctxp, long namep) {
        ModuleContext ctx = ctx(ctxp);
        String name = Native.readCString(namep);
        if (ctx.module() == null || !ctx.module().inOnLoad()) {
            NativeRuntime.get().errno(EINVAL);
            return ERR;
        }
        int rc = ctx.host().addAclCategory(ctx.module(), name);
        if (rc != 0) {
            NativeRuntime.get().errno(rc);
            return ERR;
        }
        return OK;
    }

    // --- inside a command ---------------------------------------------------------------

    @Api
    static int WrongArity(long ctxp) {
        ModuleContext ctx = ctx(ctxp);
        Client c = ctx.client();
        if (c != null) {
            c.reply().error("ERR wrong number of arguments for '" + c.commandName() + "' command");
        }
        return OK;
    }

    @Api
    static long GetCurrentCommandName(long ctxp) {
        ModuleContext ctx = ctx(ctxp);
        Client c = ctx.client();
        if (c == null || c.cmd == null) {
            return 0;
        }
        return NAMES.computeIfAbsent(c.cmd, k -> Native.cString(k.fullName()));
    }

    @Api
    static int IsKeysPositionRequest(long ctxp) {
        return ctx(ctxp).has(ModuleContext.KEYS_POS_REQUEST) ? 1 : 0;
    }

    @Api
    static void KeyAtPos(long ctxp, int pos) {
        KeyAtPosWithFlags(ctxp, pos, 2 | 16 | 32); // RW ACCESS UPDATE: full access
    }

    @Api
    static void KeyAtPosWithFlags(long ctxp, int pos, int flags) {
        ModuleContext ctx = ctx(ctxp);
        if (!ctx.has(ModuleContext.KEYS_POS_REQUEST) || pos <= 0) {
            return;
        }
        ctx.addKeyPosition(pos, flags);
    }

    @Api
    static int IsChannelsPositionRequest(long ctxp) {
        return ctx(ctxp).has(ModuleContext.CHANNELS_POS_REQUEST) ? 1 : 0;
    }

    @Api
    static void ChannelAtPosWithFlags(long ctxp, int pos, int flags) {
        ModuleContext ctx = ctx(ctxp);
        if (!ctx.has(ModuleContext.CHANNELS_POS_REQUEST) || pos <= 0) {
            return;
        }
        ctx.addKeyPosition(pos, flags);
    }

    @Api
    static long GetCommandKeys(long ctxp, long argvp, int argc, long numKeysp) {
        return GetCommandKeysWithFlags(ctxp, argvp, argc, numKeysp, 0);
    }

    /**
     * Key positions of an arbitrary command line: an array the module frees with
     * RedisModule_Free, or NULL with errno ENOENT (no such command) or EINVAL (bad arity).
     */
    @Api
    static long GetCommandKeysWithFlags(long ctxp, long argvp, int argc, long numKeysp, long flagsOutp) {
        ModuleContext ctx = ctx(ctxp);
        NativeRuntime rt = NativeRuntime.get();
        byte[][] argv = Argv.read(argvp, argc);
        Command cmd = argc == 0 ? null : ctx.host().server().commands().lookup(argv[0]);
        if (cmd != null && !cmd.subcommands().isEmpty() && argc >= 2) {
            Command sub = cmd.subcommand(new String(argv[1], java.nio.charset.StandardCharsets.UTF_8).toLowerCase());
            if (sub != null) {
                cmd = sub;
            }
        }
        if (cmd == null) {
            rt.errno(2); // ENOENT
            return 0;
        }
        if (!KeyPositions.hasKeys(cmd)) {
            rt.errno(0);
            Native.putInt(numKeysp, 0);
            return 0;
        }
        if (!cmd.arityOk(argc)) {
            rt.errno(EINVAL);
            return 0;
        }
        List<KeyPositions.Key> found = KeyPositions.find(cmd, argv, argc);
        int n = found == null ? 0 : found.size();
        int[] keys = new int[n];
        int[] flags = new int[n];
        for (int i = 0; i < n; i++) {
            keys[i] = found.get(i).position();
            flags[i] = (int) CommandInfo.keyFlagBits(found.get(i).flags());
        }
        if (n == 0) {
            rt.errno(0);
            Native.putInt(numKeysp, 0);
            return 0;
        }
        Native.putInt(numKeysp, keys.length);
        long out = rt.moduleAlloc(4L * keys.length);
        for (int i = 0; i < keys.length; i++) {
            Native.putInt(out + 4L * i, keys[i]);
        }
        if (flagsOutp != 0) {
            long fo = rt.moduleAlloc(4L * keys.length);
            for (int i = 0; i < keys.length; i++) {
                Native.putInt(fo + 4L * i, flags[i]);
            }
            Native.putLong(flagsOutp, fo);
        }
        return out;
    }


    // --- execution ----------------------------------------------------------------------

    /** Runs a module command for client {@code c} (the command-table body of module commands). */
    static void dispatch(ModuleCommand mc, Client c) {
        NativeRuntime rt = NativeRuntime.get();
        Target t = (Target) mc.target;
        ModuleContext ctx = rt.openContext(mc.module().host(), mc.module(), c, ModuleContext.COMMAND);
        NativeContexts.enableNativeReplies(ctx, c);
        int argc = c.argc;
        long argv = Argv.create(c.argv, argc);
        ctx.argv = argv;
        ctx.argvBytes = c.argv;
        ctx.argc = argc;
        try {
            int rc = (int) Invoker.INVOKE.invokeExact(t.func(), ctx.address, argv, argc);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        } finally {
            Contexts.finish(rt, ctx);
            Argv.release(argv, argc);
        }
    }

    /** The getkeys-api: the module function runs with a keys-request context and names its keys. */
    private record ApiKeyFinder(ModuleCommand mc) implements Command.KeyFinder {
        @Override
        public int[] keys(byte[][] argv, int argc) {
            ModuleContext r = keysRequest(mc, argv, argc, ModuleContext.KEYS_POS_REQUEST);
            int[] keys = r.keyPositions();
            NativeRuntime.get().recycle(r);
            return keys;
        }

        @Override
        public Command.FlaggedKeys keysWithFlags(byte[][] argv, int argc) {
            ModuleContext r = keysRequest(mc, argv, argc, ModuleContext.KEYS_POS_REQUEST);
            int[] keys = r.keyPositions();
            int[] bits = r.keyFlags();
            NativeRuntime.get().recycle(r);
            List<List<String>> flags = new ArrayList<>(bits.length);
            for (int b : bits) {
                flags.add(CommandInfo.keyFlagNames(b));
            }
            return new Command.FlaggedKeys(keys, flags);
        }
    }

    /** Calls the module function in keys-request mode; the caller reads and recycles the context. */
    private static ModuleContext keysRequest(ModuleCommand mc, byte[][] argv, int argc, int mode) {
        NativeRuntime rt = NativeRuntime.get();
        Target t = (Target) mc.target;
        ModuleContext ctx = rt.openContext(mc.module().host(), mc.module(), null, mode);
        long v = Argv.create(argv, argc);
        try {
            int rc = (int) Invoker.INVOKE.invokeExact(t.func(), ctx.address, v, argc);
        } catch (Throwable e) {
            throw Native.rethrow(e);
        } finally {
            Contexts.autoMemoryCollect(ctx);
            PoolAllocator.release(ctx);
            Argv.release(v, argc);
        }
        return ctx;
    }
}
