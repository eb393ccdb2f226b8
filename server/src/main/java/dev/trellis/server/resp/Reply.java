package dev.trellis.server.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Writes RESP replies into a client's output buffer, in RESP2 or RESP3 as the client
 * negotiated with HELLO. RESP3-only types fall back the way Redis does for RESP2 clients:
 * maps become flat arrays, sets arrays, doubles bulk strings, booleans integers, null a null
 * bulk, big numbers and verbatim strings bulk strings, attributes are dropped.
 *
 * <p>Constant replies are pre-encoded; numbers are written without allocating.
 */
public final class Reply {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_ARRAY = "*0\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QUEUED = "+QUEUED\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] SMALL_INTS = new byte[1024][];
    private static final byte[][] BULK_HEADERS = new byte[1024][];
    private static final byte[][] ARRAY_HEADERS = new byte[1024][];

    static {
        for (int i = 0; i < 1024; i++) {
            SMALL_INTS[i] = (":" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
            BULK_HEADERS[i] = ("$" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
            ARRAY_HEADERS[i] = ("*" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Told of every error reply, for error statistics. */
    public interface ErrorListener {
        void onError(String message);
    }

    private ByteBuf buf;
    private int protocol = 2;
    private ErrorListener errorListener;

    public Reply(ByteBuf buf) {
        this.buf = buf;
    }

    public ByteBuf buffer() {
        return buf;
    }

    public void buffer(ByteBuf buf) {
        this.buf = buf;
    }

    public int protocol() {
        return protocol;
    }

    public void protocol(int protocol) {
        this.protocol = protocol;
    }

    public boolean resp3() {
        return protocol >= 3;
    }

    public void errorListener(ErrorListener l) {
        this.errorListener = l;
    }

    public void ok() {
        buf.writeBytes(OK);
    }

    public void queued() {
        buf.writeBytes(QUEUED);
    }

    public void simple(String s) {
        buf.writeByte('+');
        buf.writeCharSequence(s, StandardCharsets.UTF_8);
        buf.writeBytes(CRLF);
    }

    /** An error reply; {@code message} starts with its code ("ERR ...", "WRONGTYPE ..."). */
    public void error(String message) {
        buf.writeByte('-');
        // Newlines would break the protocol; as Redis, trailing ones are trimmed and the others
        // become spaces.
        if (message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) {
            int end = message.length();
            while (end > 0 && (message.charAt(end - 1) == '\r' || message.charAt(end - 1) == '\n')) {
                end--;
            }
            message = message.substring(0, end).replace('\n', ' ').replace('\r', ' ');
        }
        buf.writeCharSequence(message, StandardCharsets.UTF_8);
        buf.writeBytes(CRLF);
        if (errorListener != null) {
            errorListener.onError(message);
        }
    }

    /** An error reply of exactly these bytes (they start with the code); CR and LF as in {@link #error(String)}. */
    public void error(byte[] message) {
        buf.writeByte('-');
        int end = message.length;
        while (end > 0 && (message[end - 1] == '\r' || message[end - 1] == '\n')) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            byte b = message[i];
            buf.writeByte(b == '\r' || b == '\n' ? ' ' : b);
        }
        buf.writeBytes(CRLF);
        if (errorListener != null) {
            errorListener.onError(new String(message, StandardCharsets.ISO_8859_1));
        }
    }

    public void integer(long v) {
        if (v >= 0 && v < SMALL_INTS.length) {
            buf.writeBytes(SMALL_INTS[(int) v]);
            return;
        }
        buf.writeByte(':');
        writeDecimal(v);
        buf.writeBytes(CRLF);
    }

    public void bulk(byte[] b) {
        if (b == null) {
            nullBulk();
            return;
        }
        bulk(b, 0, b.length);
    }

    public void bulk(byte[] b, int off, int len) {
        header('$', len, BULK_HEADERS);
        buf.writeBytes(b, off, len);
        buf.writeBytes(CRLF);
    }

    public void bulk(String s) {
        bulk(s.getBytes(StandardCharsets.UTF_8));
    }

    public void bulk(long v) {
        // Number as a bulk string, e.g. INCRBYFLOAT-style replies or string values.
        byte[] digits = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
        bulk(digits);
    }

    /** A missing value: RESP2 {@code $-1}, RESP3 {@code _}. */
    public void nullBulk() {
        buf.writeBytes(protocol >= 3 ? NULL3 : NULL_BULK);
    }

    /** A missing aggregate: RESP2 {@code *-1}, RESP3 {@code _}. */
    public void nullArray() {
        buf.writeBytes(protocol >= 3 ? NULL3 : NULL_ARRAY);
    }

    public void array(long n) {
        header('*', n, ARRAY_HEADERS);
    }

    public void emptyArray() {
        buf.writeBytes(EMPTY_ARRAY);
    }

    /** A map of {@code n} pairs; RESP2 gets a flat array of 2n elements. */
    public void map(long n) {
        if (protocol >= 3) {
            header('%', n, null);
        } else {
            array(n * 2);
        }
    }

    public void set(long n) {
        if (protocol >= 3) {
            header('~', n, null);
        } else {
            array(n);
        }
    }

    /** A push frame (pub/sub messages, invalidations); RESP2 gets an array. */
    public void push(long n) {
        if (protocol >= 3) {
            header('>', n, null);
        } else {
            array(n);
        }
    }

    /** An attribute map; must be followed by the reply it annotates. Only sent in RESP3. */
    public void attribute(long n) {
        header('|', n, null);
    }

    public void bool(boolean v) {
        if (protocol >= 3) {
            buf.writeBytes(v ? "#t\r\n".getBytes(StandardCharsets.US_ASCII) : "#f\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            integer(v ? 1 : 0);
        }
    }

    public void doubleValue(double d) {
        String s = DoubleFormat.resp(d);
        if (protocol >= 3) {
            buf.writeByte(',');
            buf.writeCharSequence(s, StandardCharsets.US_ASCII);
            buf.writeBytes(CRLF);
        } else {
            bulk(s.getBytes(StandardCharsets.US_ASCII));
        }
    }

    public void bigNumber(String digits) {
        if (protocol >= 3) {
            buf.writeByte('(');
            buf.writeCharSequence(digits, StandardCharsets.US_ASCII);
            buf.writeBytes(CRLF);
        } else {
            bulk(digits.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Verbatim string with a three-letter format ("txt", "mkd"). */
    public void verbatim(String format, byte[] text) {
        if (protocol >= 3) {
            header('=', text.length + 4L, null);
            buf.writeCharSequence(format, StandardCharsets.US_ASCII);
            buf.writeByte(':');
            buf.writeBytes(text);
            buf.writeBytes(CRLF);
        } else {
            bulk(text);
        }
    }

    public void verbatim(String text) {
        verbatim("txt", text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes already-encoded RESP bytes. */
    public void raw(byte[] resp) {
        buf.writeBytes(resp);
    }

    private void header(char type, long n, byte[][] cache) {
        if (cache != null && n >= 0 && n < cache.length) {
            buf.writeBytes(cache[(int) n]);
            return;
        }
        buf.writeByte(type);
        writeDecimal(n);
        buf.writeBytes(CRLF);
    }

    /** Digits are formed here and written with one buffer call (each buffer call checks the buffer). */
    private final byte[] digits = new byte[20];

    private void writeDecimal(long v) {
        if (v == Long.MIN_VALUE) {
            buf.writeCharSequence("-9223372036854775808", StandardCharsets.US_ASCII);
            return;
        }
        byte[] d = digits;
        int i = d.length;
        long u = v < 0 ? -v : v;
        do {
            d[--i] = (byte) ('0' + u % 10);
            u /= 10;
        } while (u != 0);
        if (v < 0) {
            d[--i] = '-';
        }
        buf.writeBytes(d, i, d.length - i);
    }
}
