package dev.trellis.server.module;

import dev.trellis.server.acl.Acl;
import dev.trellis.server.acl.AclLog;
import dev.trellis.server.acl.User;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.CommandTable;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code RedisModule_Call}: runs a command for module code on a temporary client and parses
 * what it replied. Checks happen in Redis's order, each with its errno (and, with the 'E' flag,
 * an error reply explaining it): unknown command ENOENT, arity EINVAL, script mode ESPIPE (a
 * command scripts may not run, or a write while the server refuses writes),
 * out of memory or writes not allowed ENOSPC, no user ENOTSUP.
 */
public final class ModuleCalls {
    public static final int ENOENT = 2;
    public static final int EINVAL = 22;
    public static final int EACCES = 13;
    public static final int ENOSPC = 28;
    public static final int ESPIPE = 29;
    public static final int ENOTSUP = 95;

    /** A Call outcome: a reply (possibly null) and the errno to set when it is null. */
    public record Result(CallReply reply, int errno) {
    }

    /** Parsed Call format flags (the letters that take no argument). */
    public record Flags(boolean replicate, boolean noAof, boolean noReplicas, boolean resp3, boolean respAuto,
                        boolean runAsUser, boolean scriptMode, boolean noWrites, boolean respectOom,
                        boolean errorsAsReplies, boolean dryRun, boolean allowBlock) {
        /** The flag letters, in the order of {@link #bit}'s bits. */
        private static final String LETTERS = "!AR30CSWMEDK";
        /** One instance per combination, made on first use (a Call must not allocate for its flags). */
        private static final Flags[] CACHE = new Flags[1 << LETTERS.length()];

        public static Flags parse(String s) {
            int bits = 0;
            for (int i = 0; i < s.length(); i++) {
                bits |= bit(s.charAt(i));
            }
            return of(bits);
        }

        /** The bit of a flag letter ({@code LETTERS}), 0 for other characters. */
        public static int bit(int ch) {
            int i = LETTERS.indexOf(ch);
            return i < 0 ? 0 : 1 << i;
        }

        /** The flags of a combination of {@link #bit}s. */
        public static Flags of(int bits) {
            Flags f = CACHE[bits];
            if (f == null) {
                boolean dry = (bits & bit('D')) != 0;
                f = new Flags((bits & bit('!')) != 0, (bits & bit('A')) != 0, (bits & bit('R')) != 0,
                        (bits & bit('3')) != 0, (bits & bit('0')) != 0, (bits & bit('C')) != 0,
                        (bits & bit('S')) != 0, (bits & bit('W')) != 0, (bits & bit('M')) != 0,
                        (bits & bit('E')) != 0 || dry, dry, (bits & bit('K')) != 0);
                CACHE[bits] = f;
            }
            return f;
        }
    }

    /**
     * Collects the error replies of the running Call without allocating when there are none:
     * one listener for all Calls, whose list is saved and restored around nested Calls.
     */
    private static final class ErrorCollector implements dev.trellis.server.resp.Reply.ErrorListener {
        List<String> errors;

        @Override
        public void onError(String message) {
            if (errors == null) {
                errors = new ArrayList<>(2);
            }
            errors.add(message);
        }
    }

    private final ErrorCollector errorCollector = new ErrorCollector();
    /** The listener temporary clients have between Calls (the server's error statistics). */
    private dev.trellis.server.resp.Reply.ErrorListener statsListener;

    private final ModuleHost host;

    ModuleCalls(ModuleHost host) {
        this.host = host;
    }

    /** Runs {@code argv} (argv[0] is the command name) for the module code of {@code ctx}. */
    public Result call(ModuleContext ctx, byte[][] argv, Flags f) {
        Client from = ctx.client();
        argv = host.server().dispatcher().filterArgs(from, argv, argv.length, ctx.module());
        if (argv.length == 0) {
            return fail(EINVAL, f, "ERR empty command");
        }
        CommandTable table = host.server().commands();
        Command cmd = table.lookup(argv[0]);
        if (cmd == null) {
            return fail(ENOENT, f, unknownCommand(argv));
        }
        if (!cmd.subcommands().isEmpty() && cmd.handler() == CommandTable.CONTAINER) {
            if (argv.length < 2) {
                return fail(EINVAL, f, "ERR wrong number of arguments for '" + cmd.fullName() + "' command");
            }
            Command sub = cmd.subcommand(new String(argv[1], StandardCharsets.UTF_8).toLowerCase());
            if (sub == null) {
                String s = new String(argv[1], StandardCharsets.UTF_8);
                return fail(ENOENT, f, "ERR unknown subcommand '" + (s.length() > 128 ? s.substring(0, 128) : s)
                        + "'. Try " + cmd.name().toUpperCase() + " HELP.");
            }
            cmd = sub;
        }
        if (!cmd.arityOk(argv.length)) {
            return fail(EINVAL, f, "ERR wrong number of arguments for '" + cmd.fullName() + "' command");
        }
        if (f.scriptMode() && cmd.has(CommandFlags.NOSCRIPT)) {
            return fail(ESPIPE, f, "ERR command '" + cmd.fullName() + "' is not allowed on script mode");
        }
        if (f.respectOom() && (cmd.has(CommandFlags.DENYOOM) || scriptDeniesOom(cmd, argv)) && host.overMemoryLimit()) {
            return fail(ENOSPC, f, "OOM command not allowed when used memory > 'maxmemory'.");
        }
        if (f.noWrites() && cmd.has(CommandFlags.WRITE)) {
            return fail(ENOSPC, f, "ERR Write command '" + cmd.fullName() + "' was called while write is not allowed.");
        }
        if (f.scriptMode() && cmd.has(CommandFlags.WRITE)) {
            String refusal = scriptModeWriteRefusal(from);
            if (refusal != null) {
                return fail(ESPIPE, f, refusal);
            }
        }
        User user = null;
        if (f.runAsUser()) {
            user = ctx.user != null ? ctx.user : from == null ? null : from.aclUser();
            if (user == null || user == Acl.SUPERUSER) {
                return fail(ENOTSUP, f, "ERR cannot run as user, no user directly attached to context or context's client");
            }
            Acl acl = host.server().acl();
            int denied = acl.check(user, cmd, argv, argv.length);
            if (denied != Acl.OK) {
                byte[] culprit = argv[acl.deniedIndex()];
                String object = denied == Acl.DENIED_CMD ? cmd.fullName() : new String(culprit, StandardCharsets.UTF_8);
                acl.addLog(from, denied, AclLog.CONTEXT_MODULE, object, user.name());
                return fail(EACCES, f, "NOPERM " + Acl.message(denied, user, cmd, culprit, false));
            }
        }
        if (f.dryRun()) {
            return new Result(null, 0);
        }
        Client c = host.tempClient();
        c.allowOom = !f.respectOom();
        List<String> outer = errorCollector.errors;
        errorCollector.errors = null;
        CallPromise promise = null;
        try {
            c.reply().errorListener(errorCollector);
            if (from != null) {
                c.select(from.db().id());
            }
            int proto = 2;
            if (f.resp3()) {
                proto = 3;
            } else if (f.respAuto() && from != null) {
                proto = from.protocol();
            }
            c.reply().protocol(proto);
            if (user != null) {
                c.aclUser(user);
            }
            c.argv = argv;
            c.argc = argv.length;
            boolean prev = host.enterCall(c, f.replicate(), f.allowBlock());
            try {
                host.server().dispatcher().call(c, cmd);
            } finally {
                host.exitCall(c, prev);
            }
            if (c.blockState instanceof dev.trellis.server.blocking.BlockedClient) {
                // The command blocked ('K', or a module command that blocked its caller anyway):
                // the client stays blocked and is never reused; its reply goes to the promise.
                promise = host.promises().create(ctx.module(), c, f.replicate(), proto == 3);
                if (f.allowBlock()) {
                    return new Result(CallReply.promise(promise), 0);
                }
                // Without 'K' Redis would not expect this (it asserts): answer null, let it run.
            }
            ByteBuf out = c.reply().buffer();
            byte[] bytes = new byte[out.readableBytes()];
            out.getBytes(out.readerIndex(), bytes);
            if (bytes.length == 0) {
                // A command that replied nothing (should not happen): report a null.
                bytes = "_\r\n".getBytes(StandardCharsets.US_ASCII);
            }
            List<String> errors = errorCollector.errors;
            if (errors != null && !errors.isEmpty()) {
                // Errors of a Call reach errorstats only if the module sends them on, but the
                // command's own commandstats count the failure now, as Redis does.
                cmd.failedCalls++;
            }
            return new Result(CallReply.parse(bytes, proto == 3, errors == null ? List.of() : errors), 0);
        } finally {
            errorCollector.errors = outer;
            if (promise == null) {
                if (statsListener == null) {
                    statsListener = host.server().stats()::errorReply;
                }
                c.reply().errorListener(statsListener);
                c.aclUser(Acl.SUPERUSER);
                host.releaseTempClient(c);
            }
        }
    }

    /**
     * Why a script-mode Call may not write now, or null: a master short of good replicas refuses
     * writes (-NOREPLICAS), and the server refuses them after a failed save (-MISCONF) and on a
     * read-only replica (-READONLY), unless the command comes from the
     * master, as a script's writes would be refused (Redis's checks, in its order).
     */
    private String scriptModeWriteRefusal(Client from) {
        if (host.server().minReplicas().writesDenied()) {
            return dev.trellis.server.replication.MinReplicas.NOREPLICAS;
        }
        if (from != null && (from.flags & Client.FLAG_MASTER) != 0) {
            return null;
        }
        String disk = dev.trellis.server.persist.Persistence.of(host.server()).diskError();
        if (disk != null) {
            return disk;
        }
        var role = host.server().propagation().replicaRole();
        if (role != null && role.readOnly()) {
            return "READONLY You can't write against a read only replica.";
        }
        return null;
    }

    /** EVAL/FCALL of a script whose flags make it deny-oom (Redis's evalGetCommandFlags). */
    private boolean scriptDeniesOom(Command cmd, byte[][] argv) {
        var scripting = dev.trellis.server.scripting.Scripting.of(host.server());
        return scripting != null && scripting.deniesOom(cmd, argv, argv.length);
    }

    private static Result fail(int errno, Flags f, String message) {
        return new Result(f.errorsAsReplies() ? CallReply.error(message) : null, errno);
    }

    private static String unknownCommand(byte[][] argv) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.length && args.length() < 128; i++) {
            String a = new String(argv[i], StandardCharsets.UTF_8);
            int room = 128 - args.length();
            args.append('\'').append(a.length() > room ? a.substring(0, room) : a).append("' ");
        }
        String name = new String(argv[0], StandardCharsets.UTF_8);
        return "ERR unknown command '" + (name.length() > 128 ? name.substring(0, 128) : name)
                + "', with args beginning with: " + args;
    }
}
