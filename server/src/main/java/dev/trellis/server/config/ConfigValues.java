package dev.trellis.server.config;

import java.util.Locale;

/** Parsing of config value syntaxes: yes/no, integers with bounds, memory sizes with units. */
public final class ConfigValues {
    private ConfigValues() {
    }

    public static boolean bool(String v) throws ConfigException {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new ConfigException("argument must be 'yes' or 'no'");
        };
    }

    public static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    public static long integer(String v, long min, long max) throws ConfigException {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ConfigException("argument couldn't be parsed into an integer");
        }
        if (n < min || n > max) {
            throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
        }
        return n;
    }

    /** Parses "1gb", "100mb", "64k", "1024" etc. into bytes (k=1000, kb=1024 as Redis). */
    public static long memory(String v) throws ConfigException {
        long r = memoryOr(v, Long.MIN_VALUE);
        if (r == Long.MIN_VALUE) {
            throw new ConfigException("argument must be a memory value");
        }
        return r;
    }

    public static long memoryOr(String v, long fail) {
        String s = v.toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"},
            {"k", "1000"}, {"m", "1000000"}, {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        try {
            long n = Long.parseLong(s);
            return Math.multiplyExact(n, mul);
        } catch (NumberFormatException | ArithmeticException e) {
            return fail;
        }
    }

    public static long memory(String v, long min, long max) throws ConfigException {
        long n = memory(v);
        if (n < min || n > max) {
            throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
        }
        return n;
    }

    /** Formats memory as CONFIG GET does: plain bytes. */
    public static String memoryString(long v) {
        return Long.toString(v);
    }
}
