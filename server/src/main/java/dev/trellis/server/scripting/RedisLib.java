package dev.trellis.server.scripting;

import dev.trellis.server.Server;
import dev.trellis.server.log.ServerLog;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The {@code redis} table scripts call: call/pcall, reply helpers, logging, RESP and
 * replication switches, ACL checks, version. Functions that need a running script ask
 * {@link Scripting} for it.
 */
final class RedisLib {
    private RedisLib() {
    }

    static LuaTable create(Scripting s) {
        LuaTable t = new LuaTable();
        t.rawset("call", LuaFunctions.of("call", a -> s.command(a, true)));
        t.rawset("pcall", LuaFunctions.of("pcall", a -> s.command(a, false)));
        t.rawset("log", LuaFunctions.of("log", RedisLib::log));
        t.rawset("LOG_DEBUG", LuaValue.valueOf(ServerLog.DEBUG));
        t.rawset("LOG_VERBOSE", LuaValue.valueOf(ServerLog.VERBOSE));
        t.rawset("LOG_NOTICE", LuaValue.valueOf(ServerLog.NOTICE));
        t.rawset("LOG_WARNING", LuaValue.valueOf(ServerLog.WARNING));
        String[] v = Server.REDIS_VERSION.split("\\.");
        t.rawset("REDIS_VERSION", LuaValue.valueOf(Server.REDIS_VERSION));
        t.rawset("REDIS_VERSION_NUM", LuaValue.valueOf(
                (Integer.parseInt(v[0]) << 16) | (Integer.parseInt(v[1]) << 8) | Integer.parseInt(v[2])));
        t.rawset("setresp", LuaFunctions.of("setresp", a -> {
            ScriptRun run = s.run();
            if (a.narg() != 1) {
                throw new LuaError(LuaErrors.table("redis.setresp() requires one argument."));
            }
            int resp = (int) a.arg1().todouble();
            if (resp != 2 && resp != 3) {
                throw new LuaError(LuaErrors.table("RESP version must be 2 or 3."));
            }
            run.scriptClient.reply().protocol(resp);
            return LuaValue.NONE;
        }));
        t.rawset("sha1hex", LuaFunctions.of("sha1hex", a -> {
            if (a.narg() != 1) {
                throw new LuaError(LuaErrors.table("wrong number of arguments"));
            }
            LuaValue x = a.arg1();
            if (!x.isstring()) {
                return LuaValue.valueOf(Sha1.hex(new byte[0]));
            }
            LuaString str = x.checkstring();
            return LuaValue.valueOf(Sha1.hex(java.util.Arrays.copyOfRange(str.m_bytes, str.m_offset, str.m_offset + str.m_length)));
        }));
        t.rawset("error_reply", LuaFunctions.of("error_reply", a -> {
            if (a.narg() != 1 || a.arg1().type() != LuaValue.TSTRING) {
                return LuaErrors.table("wrong number or type of arguments");
            }
            String err = a.arg1().tojstring();
            return LuaErrors.table(err.startsWith("-") ? err : "-" + err);
        }));
        t.rawset("status_reply", LuaFunctions.of("status_reply", a -> {
            if (a.narg() != 1 || a.arg1().type() != LuaValue.TSTRING) {
                return LuaErrors.table("wrong number or type of arguments");
            }
            LuaTable r = new LuaTable();
            r.rawset(RespToLua.OK, a.arg1());
            return r;
        }));
        t.rawset("set_repl", LuaFunctions.of("set_repl", a -> {
            ScriptRun run = s.run();
            if (a.narg() != 1) {
                throw new LuaError(LuaErrors.table("redis.set_repl() requires one argument."));
            }
            int flags = (int) a.arg1().todouble();
            if ((flags & ~ScriptRun.REPL_ALL) != 0) {
                throw new LuaError(LuaErrors.table("Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE."));
            }
            run.replFlags = flags;
            return LuaValue.NONE;
        }));
        t.rawset("REPL_NONE", LuaValue.valueOf(0));
        t.rawset("REPL_AOF", LuaValue.valueOf(ScriptRun.REPL_AOF));
        t.rawset("REPL_SLAVE", LuaValue.valueOf(ScriptRun.REPL_REPLICA));
        t.rawset("REPL_REPLICA", LuaValue.valueOf(ScriptRun.REPL_REPLICA));
        t.rawset("REPL_ALL", LuaValue.valueOf(ScriptRun.REPL_ALL));
        t.rawset("replicate_commands", LuaFunctions.of("replicate_commands", a -> LuaValue.TRUE));
        t.rawset("acl_check_cmd", LuaFunctions.of("acl_check_cmd", s::aclCheck));
        t.rawset("breakpoint", LuaFunctions.of("breakpoint", a -> LuaValue.FALSE));
        t.rawset("debug", LuaFunctions.of("debug", a -> LuaValue.NONE));
        return t;
    }

    private static Varargs log(Varargs a) {
        int argc = a.narg();
        if (argc < 2) {
            throw new LuaError(LuaErrors.table("redis.log() requires two arguments or more."));
        }
        if (!a.arg1().isnumber()) {
            throw new LuaError(LuaErrors.table("First argument must be a number (log level)."));
        }
        int level = (int) a.arg1().todouble();
        if (level < ServerLog.DEBUG || level > ServerLog.WARNING) {
            throw new LuaError(LuaErrors.table("Invalid debug level."));
        }
        if (!ServerLog.get().enabled(level)) {
            return LuaValue.NONE;
        }
        StringBuilder sb = new StringBuilder();
        for (int j = 2; j <= argc; j++) {
            LuaValue x = a.arg(j);
            if (x.isstring()) {
                if (j != 2) {
                    sb.append(' ');
                }
                sb.append(x.tojstring());
            }
        }
        ServerLog.get().log(level, sb.toString());
        return LuaValue.NONE;
    }
}
