package dev.trellis.server.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal RESP2/RESP3 client that keeps reply types exactly (for differential comparison
 * and protocol tests): replies are parsed into {@link RespValue}s.
 */
public final class RespClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RespClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RespClient connect(String host, int port) {
        try {
            return new RespClient(new Socket(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one command and reads its reply. */
    public RespValue call(String... args) {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return callBytes(b);
    }

    /** The value of {@code name} in {@code INFO section}, or null when the section has no such field. */
    public String infoField(String section, String name) {
        for (String line : call("INFO", section).text().split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1);
            }
        }
        return null;
    }

    public RespValue callBytes(byte[]... args) {
        send(args);
        return read();
    }

    public void send(byte[]... args) {
        try {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            buf.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte[] a : args) {
                buf.write(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                buf.write(a);
                buf.write('\r');
                buf.write('\n');
            }
            out.write(buf.toByteArray());
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes raw bytes (malformed frames, inline commands). */
    public void sendRaw(String raw) {
        try {
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one reply; throws at end of stream. */
    public RespValue read() {
        try {
            return parse();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the server closed the connection (reads EOF). */
    public boolean isClosedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    private RespValue parse() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new IOException("connection closed");
        }
        String line = readLine();
        switch (type) {
            case '+':
                return new RespValue('+', line, null);
            case '-':
                return new RespValue('-', line, null);
            case ':':
                return new RespValue(':', line, null);
            case ',':
                return new RespValue(',', line, null);
            case '(':
                return new RespValue('(', line, null);
            case '#':
                return new RespValue('#', line, null);
            case '_':
                return new RespValue('_', null, null);
            case '$':
            case '=':
            case '!': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return new RespValue('$', null, null);
                }
                byte[] data = in.readNBytes(n);
                in.readNBytes(2);
                return new RespValue((char) type, new String(data, StandardCharsets.UTF_8), null);
            }
            case '*':
            case '~':
            case '>': {
                int n = Integer.parseInt(line);
                if (n < 0) {
                    return new RespValue('*', null, null);
                }
                List<RespValue> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(parse());
                }
                return new RespValue((char) type, null, items);
            }
            case '%':
            case '|': {
                int n = Integer.parseInt(line);
                List<RespValue> items = new ArrayList<>(2 * n);
                for (int i = 0; i < 2 * n; i++) {
                    items.add(parse());
                }
                return new RespValue((char) type, null, items);
            }
            default:
                throw new IOException("bad reply type byte " + (char) type + " line " + line);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            b.write(c);
        }
        in.read();
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
