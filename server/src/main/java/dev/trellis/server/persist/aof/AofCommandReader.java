package dev.trellis.server.persist.aof;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads commands (RESP arrays of bulk strings) from an AOF file, skipping "#" annotation lines,
 * and remembers where the last complete command ended, which is where a torn tail is cut.
 */
final class AofCommandReader {
    /** The file ends inside a command (a torn tail). */
    static final class Truncated extends Exception {
        Truncated() {
            super(null, null, false, false);
        }
    }

    /** The file holds something that is not a command. */
    static final class BadFormat extends Exception {
        BadFormat() {
            super(null, null, false, false);
        }
    }

    private static final int LINE_MAX = 1024;
    private final FileChannel ch;
    private final long size;
    private final byte[] buf = new byte[1 << 16];
    private int pos;
    private int end;
    private long bufStart;
    private long validUpTo;

    AofCommandReader(FileChannel ch, long start, long size) {
        this.ch = ch;
        this.size = size;
        this.bufStart = start;
        this.validUpTo = start;
    }

    /** Offset just after the last complete command (or annotation). */
    long validUpTo() {
        return validUpTo;
    }

    long position() {
        return bufStart + pos;
    }

    private long remaining() {
        return size - position();
    }

    private boolean fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
            bufStart += pos;
            end -= pos;
            pos = 0;
        }
        if (end == buf.length) {
            return true;
        }
        int r = ch.read(ByteBuffer.wrap(buf, end, buf.length - end), bufStart + end);
        if (r <= 0) {
            return false;
        }
        end += r;
        return true;
    }

    private int readByte() throws IOException, Truncated {
        if (pos == end && !fill()) {
            throw new Truncated();
        }
        return buf[pos++] & 0xff;
    }

    /** A line without its CRLF (at most LINE_MAX bytes, as fgets would return). */
    private String line() throws IOException, Truncated {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < LINE_MAX) {
            int c = readByte();
            if (c == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') {
                    sb.setLength(n - 1);
                }
                return sb.toString();
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    private static long strtol(String s) {
        long v = 0;
        int i = 0;
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        for (; i < s.length() && Character.isDigit(s.charAt(i)) && v < Long.MAX_VALUE / 10 - 10; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return neg ? -v : v;
    }

    /** The next command, or null at a clean end of file. */
    byte[][] next() throws IOException, Truncated, BadFormat {
        while (true) {
            if (pos == end && !fill()) {
                return null;
            }
            int first = buf[pos] & 0xff;
            if (first == '#') {
                line();
                validUpTo = position();
                continue;
            }
            if (first != '*') {
                throw new BadFormat();
            }
            pos++;
            String countLine = line();
            if (countLine.isEmpty()) {
                throw new Truncated();
            }
            long argc = strtol(countLine);
            if (argc < 1) {
                throw new BadFormat();
            }
            if (argc * 4 > remaining()) {
                // Not even room for that many empty arguments: the rest of the file is missing.
                throw new Truncated();
            }
            byte[][] argv = new byte[(int) argc][];
            for (int j = 0; j < argc; j++) {
                if (pos == end && !fill()) {
                    throw new Truncated();
                }
                if ((buf[pos] & 0xff) != '$') {
                    throw new BadFormat();
                }
                pos++;
                long len = strtol(line());
                if (len < 0 || len + 2 > remaining()) {
                    throw new Truncated();
                }
                byte[] a = new byte[(int) len];
                int at = 0;
                while (at < len) {
                    if (pos == end && !fill()) {
                        throw new Truncated();
                    }
                    int n = Math.min(end - pos, (int) len - at);
                    System.arraycopy(buf, pos, a, at, n);
                    pos += n;
                    at += n;
                }
                readByte();
                readByte();
                argv[j] = a;
            }
            validUpTo = position();
            return argv;
        }
    }
}
