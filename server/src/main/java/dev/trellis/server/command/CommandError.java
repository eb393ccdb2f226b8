package dev.trellis.server.command;

/**
 * Thrown by a command body to answer with an error reply. Carries no stack trace: it is a
 * reply, not a fault, and is cheap to throw on hot paths such as WRONGTYPE.
 */
public final class CommandError extends RuntimeException {
    public static final CommandError WRONGTYPE =
            new CommandError("WRONGTYPE Operation against a key holding the wrong kind of value");
    public static final CommandError NOT_INTEGER = new CommandError("ERR value is not an integer or out of range");
    public static final CommandError NOT_FLOAT = new CommandError("ERR value is not a valid float");
    public static final CommandError SYNTAX = new CommandError("ERR syntax error");
    public static final CommandError NO_SUCH_KEY = new CommandError("ERR no such key");
    public static final CommandError OVERFLOW = new CommandError("ERR increment or decrement would overflow");
    public static final CommandError DB_INDEX = new CommandError("ERR DB index is out of range");
    public static final CommandError TIMEOUT_NOT_FLOAT = new CommandError("ERR timeout is not a float or out of range");

    /** The reply's exact bytes when they echo an argument (which need not be UTF-8), or null. */
    private final byte[] raw;

    public CommandError(String message) {
        super(message, null, false, false);
        this.raw = null;
    }

    private CommandError(String message, byte[] raw) {
        super(message, null, false, false);
        this.raw = raw;
    }

    /**
     * An error that ends with an argument's bytes as the client sent them, as Redis formats
     * them with %s: {@code prefix} (ASCII) then {@code arg} up to its first NUL byte.
     */
    public static CommandError echoing(String prefix, byte[] arg) {
        int n = 0;
        while (n < arg.length && arg[n] != 0) {
            n++;
        }
        byte[] p = prefix.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] raw = java.util.Arrays.copyOf(p, p.length + n);
        System.arraycopy(arg, 0, raw, p.length, n);
        return new CommandError(prefix + new String(arg, 0, n, java.nio.charset.StandardCharsets.UTF_8), raw);
    }

    /** The exact reply bytes (without the leading '-'), or null when the message is the reply. */
    public byte[] raw() {
        return raw;
    }

    public static CommandError of(String message) {
        return new CommandError(message);
    }

    /** "ERR wrong number of arguments for '<name>' command". */
    public static CommandError arity(String name) {
        return new CommandError("ERR wrong number of arguments for '" + name + "' command");
    }
}
