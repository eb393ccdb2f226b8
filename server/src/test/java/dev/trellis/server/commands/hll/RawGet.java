package dev.trellis.server.commands.hll;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * GET returning the exact bytes of a value (in hex): the shared RespClient decodes bulk
 * strings as UTF-8, which would hide differences between invalid byte sequences.
 */
final class RawGet implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawGet(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value's bytes in hex, "nil" when missing, or the error line. */
    String hex(String key) {
        try {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            req.write(("*2\r\n$3\r\nGET\r\n$" + k.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            req.write(k);
            req.write('\r');
            req.write('\n');
            out.write(req.toByteArray());
            out.flush();
            int type = in.read();
            String line = readLine();
            if (type != '$') {
                return (char) type + line;
            }
            int n = Integer.parseInt(line);
            if (n < 0) {
                return "nil";
            }
            byte[] data = in.readNBytes(n);
            in.readNBytes(2);
            return HexFormat.of().formatHex(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\r'; ) {
            if (c < 0) {
                throw new IOException("closed");
            }
            b.write(c);
        }
        in.read();
        return b.toString(StandardCharsets.US_ASCII);
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
