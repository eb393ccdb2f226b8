package dev.trellis.server.replication;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.persist.Persistence;
import dev.trellis.server.persist.rdb.RdbFiles;
import dev.trellis.server.persist.rdb.RdbOutput;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The master side of replication: a connection that sends SYNC (or PSYNC, always answered with
 * a full resynchronisation) receives a point-in-time RDB of the dataset as one bulk payload,
 * then the propagation stream as RESP commands, as Redis feeds its replicas. The RDB is written
 * on the server thread in one go, and the link joins the stream in the same step, so the
 * replica misses nothing and sees nothing twice.
 *
 * <p>Replicas acknowledge the offset they applied (REPLCONF ACK, every second and when asked
 * by REPLCONF GETACK); the acknowledgements feed WAIT ({@link ReplicaWaits}) and
 * min-replicas-to-write ({@link MinReplicas}).
 *
 * <p>Not there yet: a replication backlog (so no partial resynchronisation), diskless
 * transfer.
 */
public final class ReplicaLinks implements Propagation.Sink {
    private static final byte[] SELECT = "SELECT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] GETACK = "*3\r\n$8\r\nREPLCONF\r\n$6\r\nGETACK\r\n$1\r\n*\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private final Server server;
    private final List<Link> links = new ArrayList<>();
    /** The database the stream last selected, shared by every link (Redis's slaveseldb); -1: none. */
    private int streamDb = -1;
    private long lastPing = System.currentTimeMillis();
    private final ReplicaWaits waits;
    /** A REPLCONF GETACK is due at the end of this event-loop round. */
    private boolean ackRequested;

    /** One attached replica. */
    private static final class Link {
        final Client client;
        /** Offset of the stream this replica has been sent up to. */
        long offset;
        int listeningPort;
        /** The offset the replica last acknowledged (REPLCONF ACK), and when (ms). */
        long ackOffset;
        /** The offset the replica last reported fsynced to its AOF (REPLCONF ACK ... FACK). */
        long aofAckOffset;
        long ackTimeMs = System.currentTimeMillis();

        Link(Client client, long offset) {
            this.client = client;
            this.offset = offset;
        }
    }

    public ReplicaLinks(Server server) {
        this.server = server;
        server.onClientClose(this::detach);
        server.info().gauge("connected_slaves", links::size);
        server.addCronTask(this::pingIfDue);
        server.addCronTask(server.minReplicas()::refresh);
        server.minReplicas().counter(this::goodReplicas);
        this.waits = new ReplicaWaits(server, this);
    }

    /** WAIT's blocked clients. */
    public ReplicaWaits waits() {
        return waits;
    }

    /** Replicas that acknowledged within {@code maxLagSeconds} (Redis's good replicas). */
    private int goodReplicas(long maxLagSeconds) {
        long now = System.currentTimeMillis();
        int good = 0;
        for (Link l : links) {
            // Redis compares whole seconds of its cached unixtime.
            if (now / 1000 - l.ackTimeMs / 1000 <= maxLagSeconds) {
                good++;
            }
        }
        return good;
    }

    /** Replicas whose acknowledged offset is at least {@code offset}. */
    int acksAtLeast(long offset) {
        int n = 0;
        for (Link l : links) {
            if (l.ackOffset >= offset) {
                n++;
            }
        }
        return n;
    }

    /** Replicas whose AOF holds at least {@code offset} on disk (WAITAOF). */
    int aofAcksAtLeast(long offset) {
        int n = 0;
        for (Link l : links) {
            if (l.aofAckOffset >= offset) {
                n++;
            }
        }
        return n;
    }

    /** REPLCONF ACK offset [FACK aofoffset] from a replica. */
    public void ack(Client c, long offset, long aofOffset) {
        for (Link l : links) {
            if (l.client == c) {
                l.ackOffset = Math.max(l.ackOffset, offset);
                l.aofAckOffset = Math.max(l.aofAckOffset, aofOffset);
                l.ackTimeMs = System.currentTimeMillis();
                server.minReplicas().refresh();
                waits.check();
            }
        }
    }

    /** Asks every replica for an acknowledgement, once, after the current work (WAIT). */
    void requestAcks() {
        if (ackRequested || links.isEmpty()) {
            return;
        }
        ackRequested = true;
        server.execute(() -> {
            ackRequested = false;
            if (!links.isEmpty()) {
                send(GETACK);
            }
        });
    }

    /**
     * Every repl-ping-replica-period seconds the stream carries a PING, so replicas can tell a
     * quiet master from a lost one (they give up after repl-timeout without data).
     */
    private void pingIfDue() {
        if (links.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        var period = server.config().find("repl-ping-replica-period");
        long periodMs = period == null ? 10_000 : Long.parseLong(period.get()) * 1000;
        if (now - lastPing >= periodMs) {
            lastPing = now;
            send(PING);
        }
    }

    /** SYNC, or PSYNC when {@code psync}: full resynchronisation of {@code c}. */
    public void fullSync(Client c, boolean psync) {
        if ((c.flags & Client.FLAG_REPLICA) != 0) {
            return; // already a replica: Redis ignores a second SYNC
        }
        if (c.transport() == null) {
            c.reply().error("ERR Replication is not available to this client");
            return;
        }
        var stats = server.stats();
        stats.syncFull++;
        // There is no backlog: a PSYNC naming a history to continue gets a full one instead.
        if (psync && c.argc > 1 && !(c.argv[1].length == 1 && c.argv[1][0] == '?')) {
            stats.syncPartialErr++;
        }
        Persistence p = Persistence.of(server);
        RdbOutput out = new RdbOutput(p.config().compression());
        RdbFiles.write(server.keyspace(), out, p.snapshotOptions(false), p.config().checksum(), null);
        byte[] rdb = out.toByteArray();
        if (psync) {
            c.reply().raw(("+FULLRESYNC " + stats.replId + " " + stats.masterReplOffset + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        // The payload has no trailing CRLF: the stream follows it directly.
        c.reply().raw(("$" + rdb.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        c.reply().raw(rdb);
        c.flags |= Client.FLAG_REPLICA;
        if (links.isEmpty()) {
            server.propagation().addSink(this);
            lastPing = System.currentTimeMillis();
        }
        links.add(new Link(c, stats.masterReplOffset));
        server.minReplicas().refresh();
        server.propagation().replicationEvents().replica(true);
        streamDb = -1; // the new replica needs a SELECT before the next command
        ServerLog.get().notice("Replica " + c.transport().remoteAddress() + " asks for synchronization");
        ServerLog.get().notice("Synchronization with replica " + c.transport().remoteAddress() + " succeeded");
    }

    /** REPLCONF from a replica: what it tells about itself. */
    public void replconf(Client c, String option, String value) {
        for (Link l : links) {
            if (l.client == c && option.equals("listening-port")) {
                try {
                    l.listeningPort = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    // keep 0: Redis would have refused the value before
                }
            }
        }
    }

    private void detach(Client c) {
        if (links.removeIf(l -> l.client == c)) {
            if (links.isEmpty()) {
                server.propagation().removeSink(this);
            }
            waits.check(); // a WAITAOF counting no replicas may now be answered
            server.minReplicas().refresh();
            server.propagation().replicationEvents().replica(false);
        }
    }

    @Override
    public void command(int dbId, byte[][] argv) {
        if (links.isEmpty()) {
            return;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
        // MULTI and EXEC carry no database: the SELECT goes right before the first command that
        // needs it, inside the transaction, as Redis 7 propagates.
        if (dbId != streamDb && !isMultiOrExec(argv)) {
            encode(buf, new byte[][] {SELECT, Integer.toString(dbId).getBytes(StandardCharsets.US_ASCII)});
            streamDb = dbId;
        }
        encode(buf, argv);
        send(buf.toByteArray());
    }

    @Override
    public boolean advancesReplOffset() {
        return true;
    }

    private void send(byte[] bytes) {
        server.stats().masterReplOffset += bytes.length;
        for (Link l : links) {
            l.client.reply().raw(bytes);
            l.offset += bytes.length;
            server.outbox().wrote(l.client);
        }
    }

    /** INFO replication lines for the attached replicas (slave0:..., as Redis). */
    public List<String> infoLines() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            String addr = l.client.transport().remoteAddress();
            int colon = addr.lastIndexOf(':');
            String ip = colon < 0 ? addr : addr.substring(0, colon);
            long lag = (System.currentTimeMillis() - l.ackTimeMs) / 1000;
            lines.add("slave" + i + ":ip=" + ip + ",port=" + l.listeningPort + ",state=online,offset=" + l.ackOffset
                    + ",lag=" + lag);
        }
        return lines;
    }

    private static boolean isMultiOrExec(byte[][] argv) {
        String name = new String(argv[0], StandardCharsets.US_ASCII);
        return name.equalsIgnoreCase("multi") || name.equalsIgnoreCase("exec");
    }

    private static void encode(ByteArrayOutputStream buf, byte[][] argv) {
        buf.writeBytes(("*" + argv.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : argv) {
            buf.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            buf.writeBytes(a);
            buf.writeBytes(new byte[] {'\r', '\n'});
        }
    }
}
