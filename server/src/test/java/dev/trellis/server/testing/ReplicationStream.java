package dev.trellis.server.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection attached to a server's replication stream the way a replica (or Redis's test
 * suite) does it: SYNC, the RDB payload, then one command after another.
 */
public final class ReplicationStream implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    /** The RDB payload received at attach time. */
    public final byte[] rdb;
    /** The first line of a PSYNC answer (+FULLRESYNC ...), or null after SYNC. */
    public final String fullResync;

    private ReplicationStream(Socket socket, InputStream in, byte[] rdb, String fullResync) {
        this.socket = socket;
        this.in = in;
        this.rdb = rdb;
        this.fullResync = fullResync;
    }

    /** Sends SYNC (or "PSYNC ? -1") and reads the RDB payload. */
    public static ReplicationStream attach(int port, boolean psync) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(10_000);
        InputStream in = new BufferedInputStream(s.getInputStream());
        s.getOutputStream().write((psync ? "PSYNC ? -1\r\n" : "SYNC\r\n").getBytes(StandardCharsets.US_ASCII));
        String resync = null;
        String line = line(in);
        if (line.startsWith("+")) {
            resync = line;
            line = line(in);
        }
        if (!line.startsWith("$")) {
            s.close();
            throw new IOException("expected the RDB payload, got: " + line);
        }
        byte[] rdb = in.readNBytes(Integer.parseInt(line.substring(1)));
        return new ReplicationStream(s, in, rdb, resync);
    }

    /** Sends a command to the master as the replica would (REPLCONF ACK offset...). */
    public void send(String... args) throws IOException {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        socket.getOutputStream().write(sb.toString().getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** The next command of the stream, its name lower-cased, as "name arg arg". */
    public String next() throws IOException {
        String head = line(in);
        if (!head.startsWith("*")) {
            throw new IOException("expected a command, got: " + head);
        }
        int n = Integer.parseInt(head.substring(1));
        List<String> parts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String len = line(in);
            byte[] arg = in.readNBytes(Integer.parseInt(len.substring(1)));
            in.readNBytes(2);
            String a = new String(arg, StandardCharsets.UTF_8);
            parts.add(i == 0 ? a.toLowerCase(java.util.Locale.ROOT) : a);
        }
        return String.join(" ", parts);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("stream closed");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
