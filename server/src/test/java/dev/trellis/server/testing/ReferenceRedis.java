package dev.trellis.server.testing;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * Debian's redis-server started on a free port for differential tests. {@link #startOrNull}
 * returns null when it is not installed, so callers can skip with an assumption.
 */
public final class ReferenceRedis implements AutoCloseable {
    private final Process process;
    private final int port;

    private ReferenceRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static String binary() {
        for (String p : new String[] {"/usr/bin/redis-server", "/usr/local/bin/redis-server"}) {
            if (new File(p).canExecute()) {
                return p;
            }
        }
        return null;
    }

    public static ReferenceRedis startOrNull(String... extra) {
        String bin = binary();
        if (bin == null) {
            return null;
        }
        try {
            int port = TestServer.freePort();
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(bin, "--port", Integer.toString(port),
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--logfile", "",
                    "--dir", System.getProperty("java.io.tmpdir"), "--enable-debug-command", "yes"));
            cmd.addAll(java.util.List.of(extra));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return new ReferenceRedis(p, port);
                } catch (IOException e) {
                    Thread.sleep(20);
                }
            }
            p.destroyForcibly();
            return null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    public int port() {
        return port;
    }

    public RespClient client() {
        return RespClient.connect("127.0.0.1", port);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
    }
}
