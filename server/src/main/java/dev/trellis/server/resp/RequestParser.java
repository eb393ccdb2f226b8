package dev.trellis.server.resp;

import java.util.Arrays;

/**
 * Resumable parser for client requests: RESP multibulk frames and inline commands.
 *
 * <p>It reads from the connection's query buffer, a plain byte array (array access is much
 * cheaper than buffer accessors on this path). {@link #parse} consumes one complete command into
 * {@link #args()}; when the buffer holds only part of a frame it keeps its position (arguments
 * read so far, the pending bulk length) and returns {@link #INCOMPLETE}, so a large frame
 * arriving in pieces is never rescanned from the start.
 */
public final class RequestParser {
    /** Redis's PROTO_INLINE_MAX_SIZE: an inline request or a header line longer is an error. */
    public static final int INLINE_MAX = 64 * 1024;
    /** Returned by {@link #parse} when more bytes are needed. */
    public static final int INCOMPLETE = -1;
    /** Redis accepts up to INT_MAX arguments; the argument array grows as they arrive. */
    private static final int MULTIBULK_MAX = Integer.MAX_VALUE;
    /** Before AUTH (when a password is required) Redis limits frames to 10 arguments of 16 KiB. */
    private static final int UNAUTH_MULTIBULK_MAX = 10;
    private static final int UNAUTH_BULK_MAX = 16384;

    private byte[][] args = new byte[8][];
    private int argc;
    /** Arguments still to read in the current multibulk frame; 0 when between frames. */
    private int pending;
    /** Length of the bulk string being read, or -1 when its header is not read yet. */
    private long bulkLen = -1;
    private long maxBulkLen = 512L * 1024 * 1024;
    private boolean unauthenticated;

    public void setMaxBulkLen(long maxBulkLen) {
        this.maxBulkLen = maxBulkLen;
    }

    /** While a client has not authenticated against a required password, frames are kept small. */
    public void setUnauthenticated(boolean unauthenticated) {
        this.unauthenticated = unauthenticated;
    }

    public byte[][] args() {
        return args;
    }

    public int argc() {
        return argc;
    }

    /** True while a multibulk frame is partly read. */
    public boolean inFrame() {
        return pending > 0;
    }

    /** Bytes the current partial frame still needs, for query buffer accounting. */
    public long pendingBulkLen() {
        return bulkLen < 0 ? 0 : bulkLen;
    }

    /**
     * Parses one command from {@code buf[pos..end)}. Returns the position after the consumed
     * bytes when {@link #args()}/{@link #argc()} hold a complete command (argc 0 for a blank
     * line or an empty multibulk, to be skipped), or {@link #INCOMPLETE}; bytes of a partly read
     * frame's completed arguments are consumed too, so the caller must call again with the
     * returned position... see {@link #consumed()}.
     */
    public int parse(byte[] buf, int pos, int end) throws ProtocolException {
        consumed = pos;
        if (pending == 0) {
            if (pos >= end) {
                return INCOMPLETE;
            }
            if (buf[pos] != '*') {
                return parseInline(buf, pos, end);
            }
            int eol = indexOfLf(buf, pos, end);
            if (eol < 0) {
                if (end - pos > INLINE_MAX) {
                    throw new ProtocolException("Protocol error: too big mbulk count string");
                }
                return INCOMPLETE;
            }
            long n = parseNumber(buf, pos + 1, eol, "Protocol error: invalid multibulk length");
            if (n > MULTIBULK_MAX) {
                throw new ProtocolException("Protocol error: invalid multibulk length");
            }
            if (n > UNAUTH_MULTIBULK_MAX && unauthenticated) {
                throw new ProtocolException("Protocol error: unauthenticated multibulk length");
            }
            pos = eol + 1;
            consumed = pos;
            argc = 0;
            if (n <= 0) {
                return pos; // "*0" / "*-1": an empty command, skipped by the caller
            }
            pending = (int) n;
            ensureCapacity(Math.min(pending, 1024));
            bulkLen = -1;
        }
        while (pending > 0) {
            if (bulkLen < 0) {
                if (pos >= end) {
                    return INCOMPLETE;
                }
                int eol = indexOfLf(buf, pos, end);
                if (eol < 0) {
                    if (end - pos > INLINE_MAX) {
                        throw new ProtocolException("Protocol error: too big bulk count string");
                    }
                    return INCOMPLETE;
                }
                byte first = buf[pos];
                if (first != '$') {
                    throw new ProtocolException("Protocol error: expected '$', got '" + (char) (first & 0xff) + "'");
                }
                long len = parseNumber(buf, pos + 1, eol, "Protocol error: invalid bulk length");
                if (len < 0 || len > maxBulkLen) {
                    throw new ProtocolException("Protocol error: invalid bulk length");
                }
                if (len > UNAUTH_BULK_MAX && unauthenticated) {
                    throw new ProtocolException("Protocol error: unauthenticated bulk length");
                }
                pos = eol + 1;
                consumed = pos;
                bulkLen = len;
            }
            if (end - pos < bulkLen + 2) {
                return INCOMPLETE;
            }
            int len = (int) bulkLen;
            if (argc == args.length) {
                args = Arrays.copyOf(args, (int) Math.min((long) args.length * 2, (long) argc + pending));
            }
            args[argc++] = Arrays.copyOfRange(buf, pos, pos + len);
            pos += len + 2; // CRLF after the payload, not checked, as Redis
            consumed = pos;
            bulkLen = -1;
            pending--;
        }
        return pos;
    }

    private int consumed;

    /**
     * Where parsing stopped in the last call: after an {@link #INCOMPLETE} result, the bytes
     * before this position are already consumed into the partial frame and may be discarded.
     */
    public int consumed() {
        return consumed;
    }

    private int parseInline(byte[] buf, int pos, int end) throws ProtocolException {
        int eol = indexOfLf(buf, pos, end);
        if (eol < 0) {
            if (end - pos > INLINE_MAX) {
                throw new ProtocolException("Protocol error: too big inline request");
            }
            return INCOMPLETE;
        }
        int lineEnd = eol > pos && buf[eol - 1] == '\r' ? eol - 1 : eol;
        byte[][] split = ArgSplitter.split(Arrays.copyOfRange(buf, pos, lineEnd));
        if (split == null) {
            throw new ProtocolException("Protocol error: unbalanced quotes in request");
        }
        ensureCapacity(split.length);
        System.arraycopy(split, 0, args, 0, split.length);
        argc = split.length;
        consumed = eol + 1;
        return eol + 1;
    }

    private static int indexOfLf(byte[] buf, int from, int end) {
        for (int i = from; i < end; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void ensureCapacity(int n) {
        if (args.length < n) {
            // Grow in steps so a bogus huge count cannot make us allocate it all up front.
            args = new byte[Math.min(Math.max(n, args.length * 2), Math.max(n, 1024))][];
        } else if (args.length > 1024 && n < 64) {
            args = new byte[8][]; // give back memory after a huge command
        }
    }

    /** Parses the decimal between {@code from} and the line end at {@code eol} (the '\n'). */
    private static long parseNumber(byte[] buf, int from, int eol, String error) throws ProtocolException {
        int to = eol > from && buf[eol - 1] == '\r' ? eol - 1 : eol;
        if (to <= from || to - from > 20) {
            throw new ProtocolException(error);
        }
        boolean neg = false;
        int i = from;
        if (buf[i] == '-') {
            neg = true;
            i++;
            if (i == to) {
                throw new ProtocolException(error);
            }
        }
        long v = 0;
        for (; i < to; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                throw new ProtocolException(error);
            }
            v = v * 10 + d;
            if (v < 0) {
                throw new ProtocolException(error);
            }
        }
        return neg ? -v : v;
    }

    /** Drops references to the last command's arguments (they may be large). */
    public void clearArgs() {
        for (int i = 0; i < argc; i++) {
            args[i] = null;
        }
        argc = 0;
    }
}
