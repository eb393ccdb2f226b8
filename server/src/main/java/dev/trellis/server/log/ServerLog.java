package dev.trellis.server.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The server log in Redis's line format: {@code pid:role dd Mon yyyy HH:MM:SS.mmm L message},
 * where L is {@code .} debug, {@code -} verbose, {@code *} notice, {@code #} warning. Written to
 * stdout or appended to {@code logfile}; every line is flushed (test harnesses tail the log).
 */
public final class ServerLog {
    public static final int DEBUG = 0;
    public static final int VERBOSE = 1;
    public static final int NOTICE = 2;
    public static final int WARNING = 3;
    public static final int NOTHING = 4;
    private static final char[] MARKS = {'.', '-', '*', '#'};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH);

    private static volatile ServerLog instance = new ServerLog();

    private final long pid = ProcessHandle.current().pid();
    private volatile int level = NOTICE;
    private volatile PrintStream out = System.out;
    private volatile char role = 'M';
    private String file = "";

    public static ServerLog get() {
        return instance;
    }

    public static int parseLevel(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "debug" -> DEBUG;
            case "verbose" -> VERBOSE;
            case "notice" -> NOTICE;
            case "warning" -> WARNING;
            case "nothing" -> NOTHING;
            default -> NOTICE;
        };
    }

    public void level(int level) {
        this.level = level;
    }

    public boolean enabled(int lvl) {
        return lvl >= level;
    }

    public void role(char role) {
        this.role = role;
    }

    /** Logs to {@code path} (appending), or to stdout when empty. */
    public synchronized void file(String path) throws IOException {
        if (path.equals(file)) {
            return;
        }
        PrintStream next = path.isEmpty() ? System.out
                : new PrintStream(new FileOutputStream(path, true), true, StandardCharsets.UTF_8);
        PrintStream old = out;
        out = next;
        file = path;
        if (old != System.out) {
            old.close();
        }
    }

    public void debug(String msg) {
        log(DEBUG, msg);
    }

    public void verbose(String msg) {
        log(VERBOSE, msg);
    }

    public void notice(String msg) {
        log(NOTICE, msg);
    }

    public void warning(String msg) {
        log(WARNING, msg);
    }

    public void log(int lvl, String msg) {
        if (lvl < level || lvl >= NOTHING) {
            return;
        }
        String line = pid + ":" + role + " " + TIME.format(LocalDateTime.now()) + " " + MARKS[lvl] + " " + msg;
        synchronized (this) {
            out.println(line);
            out.flush();
        }
    }

    /** Writes a raw line (the startup logo, fatal config errors). */
    public synchronized void raw(String text) {
        out.print(text);
        out.flush();
    }

    public OutputStream stream() {
        return out;
    }
}
