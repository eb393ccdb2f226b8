package dev.trellis.server.net;

import dev.trellis.server.Server;
import dev.trellis.server.config.Config;
import dev.trellis.server.config.ConfigException;
import dev.trellis.server.log.ServerLog;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadFactory;

/**
 * Netty bootstrap: one event loop whose thread is the server thread (it accepts, reads,
 * executes and writes), created with a large native stack because module code runs on it.
 * The transport is io_uring, epoll or NIO, whichever is best here (see {@link Transport}).
 */
public final class NetServer {
    /** Like Redis's main thread: room for modules that use deep recursion or big stack buffers. */
    public static final long SERVER_THREAD_STACK = 64L << 20;

    private final Server server;
    private final Transport transport = Transport.select();
    private final MultiThreadIoEventLoopGroup group;
    private final EventLoop loop;
    private final List<Channel> listeners = new ArrayList<>();
    /** Accepted connections, closed before the loop ends so their closes complete on it. */
    private final ChannelGroup connections;
    private final ServerLock gil = new ServerLock();
    private Channel unixListener;
    private Path unixSocketPath;

    public NetServer(Server server) {
        this.server = server;
        ThreadFactory tf = r -> {
            Thread t = new FastThreadLocalThread(null, r, "trellis-server", SERVER_THREAD_STACK);
            t.setDaemon(false);
            return t;
        };
        group = new MultiThreadIoEventLoopGroup(1, tf, GilIoHandler.factory(transport.ioHandlerFactory(), gil));
        loop = group.next();
        connections = new DefaultChannelGroup("clients", loop);
    }

    /** The module GIL: held by the server thread except while it waits for I/O. */
    public ServerLock gil() {
        return gil;
    }

    public EventLoop executor() {
        return loop;
    }

    /** The transport's name, as INFO's multiplexing_api reports it: io_uring, epoll or nio. */
    public String multiplexingApi() {
        return transport.apiName;
    }

    /** Registers what the network layer needs from config and cron (before the server thread runs tasks). */
    public void configure() {
        Config cfg = server.config();
        server.addCronTask(new IdleClients(server));
        if (transport.readsOutsideLoop()) {
            server.busyLoop(BusyInput.create(server));
        }
        cfg.applier("bind", () -> rebindTcp("Failed to bind to specified addresses."));
        cfg.applier("port", () -> rebindTcp("Unable to listen on this port"));
    }

    /** Binds every configured address; throws with Redis's wording when one cannot be bound. */
    public void start() throws Exception {
        Config cfg = server.config();
        try {
            bindTcp((addr, optional) -> listeners.add(bootstrap(transport.tcpServerChannel()).bind(addr).sync().channel()));
        } catch (Exception e) {
            stop();
            throw new BindFailure("Failed listening on port " + cfg.port + " (tcp), aborting.");
        }
        if (!cfg.unixSocket.isEmpty()) {
            Path p = Path.of(cfg.unixSocket);
            Files.deleteIfExists(p);
            try {
                unixListener = bootstrap(transport.unixServerChannel()).bind(transport.unixAddress(p)).sync().channel();
                unixSocketPath = p;
                if (cfg.unixSocketPerm != 0) {
                    Files.setPosixFilePermissions(p, perms(cfg.unixSocketPerm));
                }
            } catch (Exception e) {
                ServerLog.get().warning("Failed opening Unix socket: " + describe(e));
                stop();
                throw new BindFailure("Failed listening on unix socket " + p + ", aborting.");
            }
        }
    }

    /** Binds one address; throws when it cannot. */
    @FunctionalInterface
    private interface Binder {
        void bind(InetSocketAddress addr, boolean optional) throws Exception;
    }

    /**
     * Binds the configured TCP addresses with Redis's rules: IPv6 wildcards first (a dual-stack
     * socket also serves IPv4, so the IPv4 wildcard may then be skipped) and addresses marked
     * optional with "-" skipped when unavailable (but not when in use). Logs and rethrows the
     * first failure.
     */
    private void bindTcp(Binder binder) throws Exception {
        Config cfg = server.config();
        if (cfg.port == 0) {
            return;
        }
        List<String> addrs = new ArrayList<>(cfg.bind);
        addrs.sort((a, b) -> Boolean.compare(!strip(a).contains(":"), !strip(b).contains(":")));
        boolean anyWildcard6 = false;
        for (String a : addrs) {
            boolean optional = a.startsWith("-");
            String host = strip(a);
            String bindHost = host.equals("*") ? "0.0.0.0" : host.equals("::*") ? "::" : host;
            try {
                binder.bind(new InetSocketAddress(bindHost, cfg.port), optional);
                if (bindHost.equals("::")) {
                    anyWildcard6 = true;
                }
            } catch (Exception e) {
                if ((bindHost.equals("0.0.0.0") && anyWildcard6) || (optional && !isInUse(e))) {
                    continue;
                }
                ServerLog.get().warning("Warning: Could not create server TCP listening socket " + host + ":" + cfg.port
                        + ": bind: " + describe(e));
                throw e;
            }
        }
    }

    /**
     * CONFIG SET bind/port (on the server thread): closes the TCP listeners, checks that every
     * configured address can be bound, and listens on them. On failure nothing is listening
     * and the error is thrown; the config then restores the old values and calls this again.
     */
    private void rebindTcp(String failure) throws ConfigException {
        for (Channel c : listeners) {
            c.close();
        }
        listeners.clear();
        List<java.nio.channels.ServerSocketChannel> probes = new ArrayList<>();
        try {
            // Netty binds asynchronously on this very thread, so check with plain sockets first.
            bindTcp((addr, optional) -> {
                java.nio.channels.ServerSocketChannel ch = java.nio.channels.ServerSocketChannel.open();
                probes.add(ch);
                ch.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
                ch.bind(addr);
            });
        } catch (Exception e) {
            throw new ConfigException(failure);
        } finally {
            for (java.nio.channels.ServerSocketChannel ch : probes) {
                try {
                    ch.close();
                } catch (java.io.IOException ignored) {
                    // probe only
                }
            }
        }
        try {
            bindTcp((addr, optional) -> {
                io.netty.channel.ChannelFuture f = bootstrap(transport.tcpServerChannel()).bind(addr);
                listeners.add(f.channel());
                f.addListener(done -> {
                    if (!done.isSuccess()) {
                        ServerLog.get().warning("Could not listen on " + addr + ": " + describe(done.cause()));
                    }
                });
            });
        } catch (Exception e) {
            throw new ConfigException(failure);
        }
    }

    private static boolean isInUse(Exception e) {
        return describe(e).toLowerCase().contains("in use");
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        if (m != null && m.contains("Address already in use")) {
            return "Address already in use";
        }
        return m == null ? e.toString() : m.replaceFirst("^bind\\(\\.\\.\\) failed: ", "");
    }

    private static String strip(String a) {
        return a.startsWith("-") ? a.substring(1) : a;
    }

    private static Set<PosixFilePermission> perms(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(order[i]);
            }
        }
        return s;
    }

    private ServerBootstrap bootstrap(Class<? extends ServerChannel> type) {
        Config cfg = server.config();
        ServerBootstrap b = new ServerBootstrap()
                .group(group, group)
                .channel(type)
                .option(ChannelOption.SO_BACKLOG, cfg.tcpBacklog)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, true)
                // The end of a client's input reaches Connection as an event (see there), not a close.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        gil.acquireForWork();
                        connections.add(ch);
                        if (!(ch.localAddress() instanceof DomainSocketAddress)
                                && !(ch.localAddress() instanceof java.net.UnixDomainSocketAddress)) {
                            transport.configureTcpChild(ch, cfg.tcpKeepalive);
                        }
                        Connection connection = new Connection(server, gil, transport.writesDirectly());
                        ch.config().setRecvByteBufAllocator(new ReadBufferAllocator(connection));
                        ch.pipeline().addLast(connection);
                    }
                });
        return b;
    }

    /** The port actually bound (useful when configured as 0 in tests). */
    public int boundPort() {
        for (Channel c : listeners) {
            if (c.localAddress() instanceof InetSocketAddress a) {
                return a.getPort();
            }
        }
        return 0;
    }

    public void stop() {
        for (Channel c : listeners) {
            c.close();
        }
        listeners.clear();
        if (unixListener != null) {
            unixListener.close();
            unixListener = null;
        }
        if (unixSocketPath != null) {
            ServerLog.get().notice("Removing the unix socket file.");
            try {
                Files.deleteIfExists(unixSocketPath);
            } catch (Exception e) {
                ServerLog.get().warning("Error removing the unix socket file: " + e.getMessage());
            }
            unixSocketPath = null;
        }
        // io_uring closes a socket only once its pending receive is cancelled: close every
        // connection while the loop still runs, and give it a moment of quiet to finish them.
        connections.close();
        group.shutdownGracefully(20, 500, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    public void awaitTermination() throws InterruptedException {
        group.terminationFuture().await();
    }

    /** A listening socket could not be opened; the message is what Redis logs. */
    public static final class BindFailure extends Exception {
        public BindFailure(String message) {
            super(message);
        }
    }
}
