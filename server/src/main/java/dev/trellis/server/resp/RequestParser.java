package dev.trellis.server.resp;

import io.netty.buffer.ByteBuf;

/**
 * Resumable parser for client requests: RESP multibulk frames and inline commands.
 *
 * <p>{@link #parse} consumes bytes from the query buffer and fills {@link #args} with one
 * complete command; when the buffer holds only part of a frame it keeps its position (how many
 * arguments are read, the pending bulk length) and returns {@code false}, so a large frame
 * arriving in pieces is never rescanned from the start.
 */
public final class RequestParser {
    /** Redis's PROTO_INLINE_MAX_SIZE: an inline request or a header line longer is an error. */
    public static final int INLINE_MAX = 64 * 1024;
    private static final int MULTIBULK_MAX = 1024 * 1024;

    private byte[][] args = new byte[8][];
    private int argc;
    /** Arguments still to read in the current multibulk frame; 0 when between frames. */
    private int pending;
    /** Length of the bulk string being read, or -1 when its header is not read yet. */
    private long bulkLen = -1;
    private long maxBulkLen = 512L * 1024 * 1024;

    public void setMaxBulkLen(long maxBulkLen) {
        this.maxBulkLen = maxBulkLen;
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

    /**
     * Parses one command from {@code in}. Returns true when {@link #args}/{@link #argc} hold a
     * complete command (possibly empty: argc 0 for a blank inline line, to be skipped).
     */
    public boolean parse(ByteBuf in) throws ProtocolException {
        if (pending == 0) {
            if (!in.isReadable()) {
                return false;
            }
            if (in.getByte(in.readerIndex()) != '*') {
                return parseInline(in);
            }
            int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (eol < 0) {
                if (in.readableBytes() > INLINE_MAX) {
                    throw new ProtocolException("Protocol error: too big mbulk count string");
                }
                return false;
            }
            long n = parseNumber(in, in.readerIndex() + 1, eol, "Protocol error: invalid multibulk length");
            if (n > MULTIBULK_MAX) {
                throw new ProtocolException("Protocol error: invalid multibulk length");
            }
            in.readerIndex(eol + 1);
            argc = 0;
            if (n <= 0) {
                return true; // "*0" / "*-1": an empty command, skipped by the caller
            }
            pending = (int) n;
            ensureCapacity(pending);
            bulkLen = -1;
        }
        while (pending > 0) {
            if (bulkLen < 0) {
                if (!in.isReadable()) {
                    return false;
                }
                int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
                if (eol < 0) {
                    if (in.readableBytes() > INLINE_MAX) {
                        throw new ProtocolException("Protocol error: too big bulk count string");
                    }
                    return false;
                }
                byte first = in.getByte(in.readerIndex());
                if (first != '$') {
                    throw new ProtocolException("Protocol error: expected '$', got '" + (char) (first & 0xff) + "'");
                }
                long len = parseNumber(in, in.readerIndex() + 1, eol, "Protocol error: invalid bulk length");
                if (len < 0 || len > maxBulkLen) {
                    throw new ProtocolException("Protocol error: invalid bulk length");
                }
                in.readerIndex(eol + 1);
                bulkLen = len;
            }
            if (in.readableBytes() < bulkLen + 2) {
                return false;
            }
            byte[] arg = new byte[(int) bulkLen];
            in.readBytes(arg);
            in.skipBytes(2); // CRLF after the payload, not checked, as Redis
            args[argc++] = arg;
            bulkLen = -1;
            pending--;
        }
        return true;
    }

    /** Bytes the current partial frame still needs, for query buffer accounting. */
    public long pendingBulkLen() {
        return bulkLen < 0 ? 0 : bulkLen;
    }

    private boolean parseInline(ByteBuf in) throws ProtocolException {
        int eol = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (eol < 0) {
            if (in.readableBytes() > INLINE_MAX) {
                throw new ProtocolException("Protocol error: too big inline request");
            }
            return false;
        }
        int end = eol;
        if (end > in.readerIndex() && in.getByte(end - 1) == '\r') {
            end--;
        }
        byte[] line = new byte[end - in.readerIndex()];
        in.getBytes(in.readerIndex(), line);
        in.readerIndex(eol + 1);
        byte[][] split = ArgSplitter.split(line);
        if (split == null) {
            throw new ProtocolException("Protocol error: unbalanced quotes in request");
        }
        ensureCapacity(split.length);
        System.arraycopy(split, 0, args, 0, split.length);
        argc = split.length;
        return true;
    }

    private void ensureCapacity(int n) {
        if (args.length < n) {
            // Grow in steps so a bogus huge count cannot make us allocate it all up front.
            args = new byte[Math.min(Math.max(n, args.length * 2), Math.max(n, 1024))][];
        } else if (args.length > 1024 && n < 64) {
            args = new byte[8][]; // give back memory after a huge command
        }
    }

    /** Parses the decimal between {@code from} and the line end at {@code eol} (the '\\n'). */
    private static long parseNumber(ByteBuf in, int from, int eol, String error) throws ProtocolException {
        int to = eol > from && in.getByte(eol - 1) == '\r' ? eol - 1 : eol;
        if (to <= from || to - from > 20) {
            throw new ProtocolException(error);
        }
        boolean neg = false;
        int i = from;
        if (in.getByte(i) == '-') {
            neg = true;
            i++;
            if (i == to) {
                throw new ProtocolException(error);
            }
        }
        long v = 0;
        for (; i < to; i++) {
            int d = in.getByte(i) - '0';
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

    /** Frees references to argument arrays of the last command (they may be large). */
    public void clearArgs() {
        for (int i = 0; i < argc; i++) {
            args[i] = null;
        }
        argc = 0;
    }
}
