package dev.trellis.server.scripting;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/**
 * Errors as Redis scripts see them. Redis 7 raises tables {@code {err="CODE msg"}} from
 * redis.call and friends; plain Lua errors are strings carrying the position of the failing
 * line, which LuaJ writes as {@code @user_script:3 msg} where Lua 5.1 writes
 * {@code user_script:3: msg}: messages are rewritten to the 5.1 form scripts and tests expect.
 */
final class LuaErrors {
    static final LuaString ERR = LuaString.valueOf("err");
    static final LuaString IGNORE_STATS = LuaString.valueOf("ignore_error_stats_update");
    private static final Pattern POSITION = Pattern.compile("^(@[^\\s:]+):(\\d+) ", Pattern.DOTALL);

    private LuaErrors() {
    }

    /** An error raised with {@code error(msg, 0)}: no position is added to the message. */
    static final class Bare extends LuaError {
        final LuaValue value;

        Bare(LuaValue value) {
            super(value);
            this.value = value;
        }
    }

    /**
     * The error table Redis's luaPushErrorBuff builds: {@code -CODE msg} keeps its code, a
     * message without a leading dash gets ERR; trailing CR/LF are trimmed.
     */
    static LuaTable table(String error) {
        String code;
        String msg;
        if (error.startsWith("-")) {
            int sp = error.indexOf(' ');
            if (sp < 0) {
                code = "ERR";
                msg = error.substring(1);
            } else {
                code = error.substring(1, sp);
                msg = error.substring(sp + 1);
            }
        } else {
            code = "ERR";
            msg = error;
        }
        int end = msg.length();
        while (end > 0 && (msg.charAt(end - 1) == '\r' || msg.charAt(end - 1) == '\n')) {
            end--;
        }
        int start = 0;
        while (start < end && (msg.charAt(start) == '\r' || msg.charAt(start) == '\n')) {
            start++;
        }
        LuaTable t = new LuaTable();
        t.rawset(ERR, LuaValue.valueOf((code + " " + msg.substring(start, end)).getBytes(StandardCharsets.UTF_8)));
        return t;
    }

    /** An error table for a failure already counted in the error statistics (a command's own error). */
    static LuaTable counted(String error) {
        LuaTable t = table(error);
        t.rawset(IGNORE_STATS, LuaValue.TRUE);
        return t;
    }

    /** The value a script sees for a caught error (pcall's second result): strings in Lua 5.1's form. */
    static LuaValue value(LuaError e) {
        if (e instanceof Bare b) {
            return b.value;
        }
        LuaValue obj = e.getMessageObject();
        if (obj != null && obj.type() == LuaValue.TSTRING) {
            return LuaValue.valueOf(message(e));
        }
        return obj == null ? LuaValue.NIL : obj;
    }

    /**
     * The error's text. With a debug library on the globals (the script watchdog), LuaJ appends
     * a newline and the library's (empty) traceback to errors that pass through Lua code.
     */
    private static String text(LuaError e) {
        String m = e.getMessage();
        return m != null && m.endsWith("\n") ? m.substring(0, m.length() - 1) : m;
    }

    /** A string error's message in Lua 5.1's form ({@code user_script:3: msg}). */
    static String message(LuaError e) {
        String m = text(e);
        if (m == null) {
            return "nil";
        }
        Matcher mt = POSITION.matcher(m);
        if (mt.find()) {
            m = mt.group(1).substring(1) + ":" + mt.group(2) + ": " + m.substring(mt.end());
        }
        return normalize(m);
    }

    /** Where the error happened ({@code @user_script}, line), or null when LuaJ did not record it. */
    static String[] position(LuaError e) {
        String m = text(e);
        if (m == null) {
            return null;
        }
        Matcher mt = POSITION.matcher(m);
        return mt.find() ? new String[] {mt.group(1), mt.group(2)} : null;
    }

    /** LuaJ's wording of some runtime errors, in Lua 5.1's. */
    private static String normalize(String m) {
        int i = m.indexOf("attempt to call nil");
        if (i >= 0 && m.endsWith("attempt to call nil")) {
            return m.substring(0, i) + "attempt to call a nil value";
        }
        return m;
    }
}
