package dev.trellis.server.commands.stream;

import dev.trellis.server.client.Client;
import dev.trellis.server.types.stream.ConsumerGroup;
import dev.trellis.server.types.stream.PendingEntry;
import java.nio.charset.StandardCharsets;

/**
 * The commands consumer-group reads and claims propagate in place of themselves, as Redis's
 * streamPropagateXCLAIM / streamPropagateGroupID / streamPropagateConsumerCreation: replicas
 * and the AOF rebuild the PEL and group position from idempotent XCLAIM and XGROUP commands.
 * Callers end with {@link #suppressCommand} so the original command is not propagated too.
 */
public final class StreamPropagation {
    private static final byte[] XCLAIM = ascii("XCLAIM");
    private static final byte[] XGROUP = ascii("XGROUP");
    private static final byte[] SETID = ascii("SETID");
    private static final byte[] CREATECONSUMER = ascii("CREATECONSUMER");
    private static final byte[] ENTRIESREAD = ascii("ENTRIESREAD");
    private static final byte[] ZERO = ascii("0");
    private static final byte[] TIME = ascii("TIME");
    private static final byte[] RETRYCOUNT = ascii("RETRYCOUNT");
    private static final byte[] FORCE = ascii("FORCE");
    private static final byte[] JUSTID = ascii("JUSTID");
    private static final byte[] LASTID = ascii("LASTID");

    private StreamPropagation() {
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] num(long v) {
        return ascii(Long.toString(v));
    }

    private static boolean active(Client c) {
        return c.server().propagation().active();
    }

    /**
     * XCLAIM key group consumer 0 id TIME ms RETRYCOUNT n FORCE JUSTID LASTID group-last-id:
     * gives {@code id} to the entry's consumer with its delivery time and count (or, for an
     * entry gone from the stream, drops it from the PEL).
     */
    public static void xclaim(Client c, byte[] key, ConsumerGroup g, byte[] groupName, byte[] id, PendingEntry p) {
        if (!active(c)) {
            return;
        }
        byte[][] argv = {XCLAIM, key, groupName, p.consumer.name(), ZERO, id, TIME, num(p.deliveryTime),
            RETRYCOUNT, num(p.deliveryCount), FORCE, JUSTID, LASTID, g.lastId.toBytes()};
        c.server().propagation().propagate(c.db().id(), argv);
    }

    /** XGROUP SETID key group last-id ENTRIESREAD n (after a NOACK read moved the group). */
    public static void setId(Client c, byte[] key, ConsumerGroup g, byte[] groupName) {
        if (!active(c)) {
            return;
        }
        byte[][] argv = {XGROUP, SETID, key, groupName, g.lastId.toBytes(), ENTRIESREAD, num(g.entriesRead)};
        c.server().propagation().propagate(c.db().id(), argv);
    }

    /** XGROUP CREATECONSUMER key group consumer (a consumer a NOACK read created). */
    public static void createConsumer(Client c, byte[] key, byte[] groupName, byte[] consumer) {
        if (!active(c)) {
            return;
        }
        byte[][] argv = {XGROUP, CREATECONSUMER, key, groupName, consumer};
        c.server().propagation().propagate(c.db().id(), argv);
    }

    /**
     * Marks a command that propagated its effects itself (Redis's preventCommandPropagation);
     * {@link #install} excludes commands carrying it from propagation.
     */
    private static final byte[][] SELF_PROPAGATED = new byte[0][];

    /** The running command propagated its effects itself: do not propagate its arguments. */
    public static void suppressCommand(Client c) {
        c.propagateArgv = SELF_PROPAGATED;
    }

    /** Registers the exclusion of self-propagated stream commands with the server's propagation. */
    static void install(dev.trellis.server.Server server) {
        server.propagation().exclude((c, cmd) -> c.propagateArgv == SELF_PROPAGATED);
    }
}
