package dev.trellis.server.net;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.log.ServerLog;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves clients while a long command runs on the server thread (Redis's
 * processEventsWhileBlocked, for a module's {@code RedisModule_Yield}): the command cannot
 * return to the event loop, so the connections' sockets are polled and read here directly,
 * and their requests are parsed and dispatched while the dispatcher is busy (it answers
 * {@code -BUSY} to everything but {@code allow-busy} commands).
 *
 * <p>Reading a socket behind Netty's back is safe for the transports whose reads the server
 * thread itself triggers: epoll only reports readiness (a read that finds the socket drained
 * gets EAGAIN), and Netty's io_uring ring is set up with deferred task running, so a pending
 * receive takes data from the socket only when the server thread next enters the ring. Bytes
 * read here go to the connection's own query buffer, so nothing is parsed twice; the client
 * running the long command is left alone (its next requests wait, as Redis protects it).
 * Data the ring had already received before the command started is served after it.
 */
final class BusyInput implements Server.BusyLoop {
    private static final int MSG_DONTWAIT = 0x40;
    private static final short POLLIN = 0x1;
    private static final int SCRATCH = 16 * 1024;

    private final Server server;
    private final MethodHandle poll;
    private final MethodHandle recv;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment scratch = arena.allocate(SCRATCH);
    private MemorySegment pollfds = MemorySegment.NULL;
    private int pollCapacity;

    private BusyInput(Server server, MethodHandle poll, MethodHandle recv) {
        this.server = server;
        this.poll = poll;
        this.recv = recv;
    }

    /** A loop for {@code server}, or null where the C library cannot be reached. */
    static BusyInput create(Server server) {
        try {
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            MethodHandle poll = linker.downcallHandle(libc.find("poll").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            MethodHandle recv = linker.downcallHandle(libc.find("recv").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            return new BusyInput(server, poll, recv);
        } catch (RuntimeException | LinkageError e) {
            ServerLog.get().warning("Clients cannot be served during long commands: " + e);
            return null;
        }
    }

    @Override
    public void serveClients(Client running) {
        List<Connection> conns = new ArrayList<>();
        for (Client c : server.clients().values()) {
            if (c != running && c.transport() instanceof Connection conn && conn.fdForBusyRead() >= 0) {
                conns.add(conn);
            }
        }
        if (conns.isEmpty()) {
            return;
        }
        ensurePollCapacity(conns.size());
        for (int i = 0; i < conns.size(); i++) {
            pollfds.set(ValueLayout.JAVA_INT, i * 8L, conns.get(i).fdForBusyRead());
            pollfds.set(ValueLayout.JAVA_SHORT, i * 8L + 4, POLLIN);
            pollfds.set(ValueLayout.JAVA_SHORT, i * 8L + 6, (short) 0);
        }
        try {
            int ready = (int) poll.invokeExact(pollfds, (long) conns.size(), 0);
            if (ready < 0) {
                return;
            }
        } catch (Throwable t) {
            return;
        }
        for (int i = 0; i < conns.size(); i++) {
            short revents = pollfds.get(ValueLayout.JAVA_SHORT, i * 8L + 6);
            Connection conn = conns.get(i);
            int fd = conn.fdForBusyRead(); // the connection may have closed meanwhile
            if (fd < 0) {
                continue;
            }
            if ((revents & POLLIN) != 0) {
                readAndServe(conn, fd);
            } else if (conn.hasUnreadInput()) {
                // Bytes the transport delivered while the server thread waited for the lock.
                conn.serveBusyInput();
            }
        }
    }

    private void readAndServe(Connection conn, int fd) {
        boolean any = false;
        while (true) {
            long n;
            try {
                n = (long) recv.invokeExact(fd, scratch, (long) SCRATCH, MSG_DONTWAIT);
            } catch (Throwable t) {
                break;
            }
            if (n <= 0) {
                break; // drained (EAGAIN), or end of input: Netty sees that one itself
            }
            conn.appendBusyInput(scratch, (int) n);
            any = true;
            if (n < SCRATCH) {
                break;
            }
        }
        if (any || conn.hasUnreadInput()) {
            conn.serveBusyInput();
        }
    }

    private void ensurePollCapacity(int n) {
        if (n > pollCapacity) {
            pollCapacity = Math.max(n, pollCapacity * 2);
            pollfds = arena.allocate(8L * pollCapacity, 8);
        }
    }
}
