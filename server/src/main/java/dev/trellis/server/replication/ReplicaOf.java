package dev.trellis.server.replication;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.Dispatcher;
import dev.trellis.server.info.InfoOutput;
import dev.trellis.server.info.ReplicationSection;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.persist.Persistence;
import dev.trellis.server.persist.rdb.RdbFiles;
import dev.trellis.server.persist.rdb.RdbInput;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The replica side of replication (REPLICAOF host port / NO ONE). A link thread connects to the
 * master, does Redis's handshake (PING, REPLCONF listening-port and capa, PSYNC ? -1), reads
 * the full resynchronisation's RDB payload and then the command stream; the server thread
 * replaces the dataset with the payload and applies each command as the master's client (no
 * replies, writes allowed on a read-only replica), counting the offset as Redis does so INFO's
 * master_repl_offset matches the master's. While a replica, the server does not expire keys
 * itself (the master's DELs do) and, with replica-read-only, refuses writes from its clients.
 * A lost link is retried every second. No partial resynchronisation yet.
 */
public final class ReplicaOf implements Dispatcher.Gate, Propagation.ReplicaRole {
    private final Server server;
    private volatile Link link;
    private Client masterClient;
    private final dev.trellis.server.command.Dispatcher.Hook gateHook;

    public ReplicaOf(Server server) {
        this.server = server;
        // Called only while this server is a replica (a read-only replica refuses writes).
        gateHook = server.dispatcher().addGate(this);
        gateHook.enabled(false);
        server.addCronTask(this::cron);
    }

    /** Whether this server is a replica (of a master it may not have reached yet). */
    public boolean isReplica() {
        return link != null;
    }

    @Override
    public boolean linkUp() {
        Link l = link;
        return l != null && l.up;
    }

    @Override
    public boolean readOnly() {
        return "yes".equals(server.config().find("replica-read-only").get());
    }

    /** REPLICAOF host port. */
    public String replicaOf(String host, int port) {
        Link l = link;
        if (l != null && l.host.equals(host) && l.port == port) {
            return "+OK Already connected to specified master";
        }
        Link old = link;
        stopLink();
        server.blocking().disconnectAll(); // clients blocked as on a master (Redis's order)
        ServerLog.get().notice("Connecting to MASTER " + host + ":" + port);
        server.keyspace().expireDeletes(false);
        link = new Link(host, port);
        gateHook.enabled(true);
        server.propagation().replicaRole(this);
        // Redis's order: the role change, then the old link's end.
        server.propagation().replicationEvents().roleChanged(host, port);
        if (old != null) {
            linkLost(old);
        }
        link.start();
        return "+OK";
    }

    /** REPLICAOF NO ONE: a master again, with a new replication id (the old one as the second). */
    public void noOne() {
        if (link == null) {
            return;
        }
        Link old = link;
        stopLink();
        linkLost(old);
        server.propagation().replicaRole(null);
        server.keyspace().expireDeletes(true);
        var s = server.stats();
        s.replId2 = s.replId;
        s.replId = dev.trellis.server.info.ServerStats.randomHex40();
        ServerLog.get().notice("MASTER MODE enabled (user request)");
        server.propagation().replicationEvents().roleChanged(null, 0);
    }

    /** The link {@code l} ended: MasterLinkChange down, once, if it had come up. On the server thread. */
    private void linkLost(Link l) {
        if (l.upReported) {
            l.upReported = false;
            server.propagation().replicationEvents().masterLink(false);
        }
    }

    /**
     * CLIENT KILL of the master's client: the link is dropped and, as after any lost link, made
     * again within a second.
     */
    @Override
    public boolean killMasterLink() {
        Link l = link;
        if (l == null || !l.up) {
            return false;
        }
        l.close();
        if (masterClient != null) {
            server.removeClient(masterClient);
            masterClient = null;
        }
        linkLost(l);
        return true;
    }



    private void stopLink() {
        Link l = link;
        link = null;
        gateHook.enabled(false);
        if (l != null) {
            l.close();
        }
        if (masterClient != null) {
            server.removeClient(masterClient);
            masterClient = null;
        }
    }

    /** Writes from clients other than the master are refused on a read-only replica. */
    @Override
    public boolean intercept(Client c, Command cmd) {
        if (link != null && cmd.has(CommandFlags.WRITE) && (c.flags & Client.FLAG_MASTER) == 0
                && c.transport() != null && "yes".equals(server.config().find("replica-read-only").get())) {
            server.dispatcher().reject(c, cmd, "READONLY You can't write against a read only replica.");
            return true;
        }
        return false;
    }

    /** INFO replication as a replica. */
    public void writeInfo(InfoOutput out) {
        Link l = link;
        out.field("role", "slave")
                .field("master_host", l.host)
                .field("master_port", l.port)
                .field("master_link_status", l.up ? "up" : "down")
                .field("master_last_io_seconds_ago", l.up ? (System.currentTimeMillis() - l.lastIo) / 1000 : -1)
                .field("master_sync_in_progress", 0)
                .field("slave_read_repl_offset", l.offset)
                .field("slave_repl_offset", l.offset)
                .field("slave_priority", 100)
                .field("slave_read_only", "yes".equals(server.config().find("replica-read-only").get()) ? 1 : 0)
                .field("replica_announced", 1);
        ReplicationSection.writeMasterFields(server, out);
    }

    /** REPLCONF GETACK from the master: acknowledge the offset applied so far at once. */
    public void sendAck() {
        Link l = link;
        if (l != null && l.up) {
            l.lastAck = System.currentTimeMillis();
            sendAck(l);
        }
    }

    /** REPLCONF ACK offset, with FACK and the offset fsynced to the AOF while it is on (WAITAOF). */
    private void sendAck(Link l) {
        Persistence p = Persistence.of(server);
        long fsynced = p == null ? -1 : p.aof().fsyncedReplOffset();
        if (fsynced == -1) {
            l.send("REPLCONF", "ACK", Long.toString(l.offset));
        } else {
            l.send("REPLCONF", "ACK", Long.toString(l.offset), "FACK", Long.toString(fsynced));
        }
    }

    /** Once a second: acknowledge the offset (REPLCONF ACK), reconnect a lost link. */
    private void cron() {
        Link l = link;
        if (l == null) {
            return;
        }
        long now = System.currentTimeMillis();
        if (now - l.lastAck < 1000) {
            return;
        }
        l.lastAck = now;
        if (l.up) {
            sendAck(l);
        } else if (l.dead) {
            ServerLog.get().notice("Connecting to MASTER " + l.host + ":" + l.port);
            link = new Link(l.host, l.port);
            link.start();
        }
    }

    // --- on the server thread -------------------------------------------------------------

    private void fullSync(Link l, String replId, long offset, byte[] rdb) {
        if (link != l) {
            return;
        }
        // The AOF describes the data about to be replaced: it stops now and starts again on a
        // fresh base of the master's dataset (Redis's restartAOFAfterSYNC).
        Persistence persistence = Persistence.of(server);
        persistence.aof().suspend();
        ServerLog.get().notice("MASTER <-> REPLICA sync: Flushing old data");
        for (int i = 0; i < server.keyspace().databases(); i++) {
            server.keyspace().db(i).clear();
        }
        ServerLog.get().notice("MASTER <-> REPLICA sync: Loading DB in memory");
        try {
            var loaded = RdbFiles.load(RdbInput.of(rdb, 0, rdb.length), server.keyspace(), server.config(),
                    persistence.config().checksum(), false, true);
            persistence.functions(loaded.functions); // the master's libraries replace ours
        } catch (RuntimeException e) {
            ServerLog.get().warning("Failed trying to load the MASTER synchronization DB from socket: " + e.getMessage());
            persistence.aof().resume();
            l.close();
            return;
        }
        var s = server.stats();
        s.replId = replId;
        s.replId2 = "0000000000000000000000000000000000000000";
        s.masterReplOffset = offset;
        persistence.aof().resume();
        l.offset = offset;
        if (masterClient != null) {
            server.removeClient(masterClient);
        }
        masterClient = server.newInternalClient();
        masterClient.flags |= Client.FLAG_MASTER;
        l.up = true;
        ServerLog.get().notice("MASTER <-> REPLICA sync: Finished with success");
        l.upReported = true;
        server.propagation().replicationEvents().masterLink(true);
    }

    private void apply(Link l, byte[][] argv, int bytes) {
        if (link != l || masterClient == null) {
            return;
        }
        Client m = masterClient;
        m.argv = argv;
        m.argc = argv.length;
        server.dispatcher().process(m);
        m.reply().buffer().clear();
        l.offset += bytes;
        server.stats().masterReplOffset = l.offset;
    }

    // --- the link thread ------------------------------------------------------------------

    /** One connection to the master, read on its own thread. */
    private final class Link {
        final String host;
        final int port;
        volatile boolean up;
        volatile boolean dead;
        /** MasterLinkChange up was told (server thread only). */
        boolean upReported;
        volatile long offset;
        volatile long lastIo = System.currentTimeMillis();
        long lastAck;
        private Socket socket;
        private OutputStream out;
        private Thread thread;

        Link(String host, int port) {
            this.host = host;
            this.port = port;
        }

        void start() {
            thread = Thread.ofPlatform().daemon().name("replica-link").start(this::run);
        }

        void close() {
            dead = true;
            up = false;
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        synchronized void send(String... args) {
            if (out == null) {
                return;
            }
            try {
                StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
                for (String a : args) {
                    sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
                }
                out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                close();
            }
        }

        private void run() {
            try {
                socket = new Socket();
                socket.connect(new InetSocketAddress(host, port), 5000);
                InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
                synchronized (this) {
                    out = socket.getOutputStream();
                }
                ServerLog.get().notice("MASTER <-> REPLICA sync started");
                send("PING");
                expectReply(in, "PING");
                send("REPLCONF", "listening-port", Integer.toString(server.net().boundPort()));
                expectReply(in, "REPLCONF listening-port");
                send("REPLCONF", "capa", "psync2");
                expectReply(in, "REPLCONF capa");
                send("PSYNC", "?", "-1");
                String resync = line(in);
                while (resync.isEmpty()) {
                    resync = line(in); // newlines keep the link alive while the master prepares
                }
                if (!resync.startsWith("+FULLRESYNC ")) {
                    throw new IOException("unexpected reply to PSYNC: " + resync);
                }
                String[] parts = resync.split(" ");
                String replId = parts[1];
                long offset = Long.parseLong(parts[2]);
                String len = line(in);
                while (len.isEmpty()) {
                    len = line(in);
                }
                if (!len.startsWith("$") || len.startsWith("$EOF:")) {
                    throw new IOException("unexpected RDB transfer header: " + len);
                }
                byte[] rdb = in.readNBytes(Integer.parseInt(len.substring(1)));
                ServerLog.get().notice("MASTER <-> REPLICA sync: receiving " + rdb.length + " bytes from master to disk");
                server.execute(() -> fullSync(this, replId, offset, rdb));
                readStream(in);
            } catch (IOException | RuntimeException e) {
                if (!dead) {
                    ServerLog.get().warning("Error condition on socket for SYNC: " + e.getMessage());
                }
            } finally {
                close();
                server.execute(() -> linkLost(this));
            }
        }

        private void expectReply(InputStream in, String what) throws IOException {
            String r = line(in);
            if (r.startsWith("-") && !r.startsWith("-NOAUTH")) {
                ServerLog.get().warning("Master replied to " + what + ": " + r);
            }
        }

        /** Commands of the stream, each handed to the server thread with its size in bytes. */
        private void readStream(InputStream in) throws IOException {
            while (!dead) {
                int first = in.read();
                if (first < 0) {
                    throw new IOException("connection lost");
                }
                lastIo = System.currentTimeMillis();
                if (first == '\n') {
                    continue; // keepalive newline
                }
                if (first != '*') {
                    throw new IOException("protocol error in the replication stream");
                }
                int[] size = {1};
                int n = Integer.parseInt(countedLine(in, size));
                byte[][] argv = new byte[n][];
                for (int i = 0; i < n; i++) {
                    String h = countedLine(in, size);
                    int len = Integer.parseInt(h.substring(1));
                    argv[i] = in.readNBytes(len);
                    in.readNBytes(2);
                    size[0] += len + 2;
                }
                int bytes = size[0];
                server.execute(() -> apply(this, argv, bytes));
            }
        }

        private String countedLine(InputStream in, int[] size) throws IOException {
            String l = line(in);
            size[0] += l.length() + 2;
            return l;
        }

        private String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(32);
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection lost");
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            lastIo = System.currentTimeMillis();
            return b.toString(StandardCharsets.UTF_8);
        }
    }
}
