package dev.trellis.server.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollMode;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.net.SocketAddress;
import java.nio.file.Path;

/**
 * Which Netty transport carries client connections: io_uring where the kernel allows it, epoll
 * otherwise, NIO off Linux.
 *
 * <p>io_uring comes first because it costs fewer system calls per request: the loop submits
 * every pending receive and send of one turn with a single {@code io_uring_enter}, where epoll
 * needs a {@code read()} and a {@code write()} per request plus the {@code epoll_wait}. On
 * machines where a system call is expensive (page-table isolation without PCID flushes the TLB
 * on each) that is most of the server's CPU at pipeline depth 1. Containers often forbid
 * io_uring (Docker's default seccomp profile does); {@link IoUring#isAvailable()} then says no
 * and epoll is used. {@code -Dtrellis.transport=epoll|nio|io_uring} forces a choice.
 */
enum Transport {
    IO_URING("io_uring"),
    EPOLL("epoll"),
    NIO("nio");

    /** What {@code INFO server} reports as {@code multiplexing_api}. */
    final String apiName;

    Transport(String apiName) {
        this.apiName = apiName;
    }

    /** The configured transport if it is available here, else the best available one. */
    static Transport select() {
        String wanted = System.getProperty("trellis.transport", "");
        return switch (wanted) {
            case "nio" -> NIO;
            case "epoll" -> Epoll.isAvailable() ? EPOLL : NIO;
            default -> IoUring.isAvailable() ? IO_URING : Epoll.isAvailable() ? EPOLL : NIO;
        };
    }

    IoHandlerFactory ioHandlerFactory() {
        return switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    Class<? extends ServerChannel> tcpServerChannel() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    Class<? extends ServerChannel> unixServerChannel() {
        return switch (this) {
            case IO_URING -> IoUringServerDomainSocketChannel.class;
            case EPOLL -> EpollServerDomainSocketChannel.class;
            case NIO -> NioServerDomainSocketChannel.class;
        };
    }

    SocketAddress unixAddress(Path p) {
        return this == NIO ? java.net.UnixDomainSocketAddress.of(p) : new DomainSocketAddress(p.toString());
    }

    /** Socket options of an accepted TCP connection: no Nagle, and keepalive when configured. */
    void configureTcpChild(Channel ch, int keepaliveSeconds) {
        ch.config().setOption(ChannelOption.TCP_NODELAY, true);
        if (this == EPOLL) {
            // Level-triggered: one read per readiness event, like Redis; edge-triggered would
            // need an extra read() that returns EAGAIN on every request.
            ch.config().setOption(EpollChannelOption.EPOLL_MODE, EpollMode.LEVEL_TRIGGERED);
        }
        if (keepaliveSeconds <= 0) {
            return;
        }
        ch.config().setOption(ChannelOption.SO_KEEPALIVE, true);
        int interval = Math.max(1, keepaliveSeconds / 3);
        switch (this) {
            case IO_URING -> {
                ch.config().setOption(IoUringChannelOption.TCP_KEEPIDLE, keepaliveSeconds);
                ch.config().setOption(IoUringChannelOption.TCP_KEEPINTVL, interval);
                ch.config().setOption(IoUringChannelOption.TCP_KEEPCNT, 3);
            }
            case EPOLL -> {
                ch.config().setOption(EpollChannelOption.TCP_KEEPIDLE, keepaliveSeconds);
                ch.config().setOption(EpollChannelOption.TCP_KEEPINTVL, interval);
                ch.config().setOption(EpollChannelOption.TCP_KEEPCNT, 3);
            }
            case NIO -> { } // the JDK sets only SO_KEEPALIVE portably
        }
    }

    /**
     * Whether replies may be written with a direct {@code write()} on the socket. Under
     * io_uring that would add the very system call the ring saves: replies go through the
     * channel and leave with the next submission.
     */
    boolean writesDirectly() {
        return this == EPOLL;
    }

    /**
     * Whether the server thread may read a connection's socket itself while a long command runs
     * ({@link BusyInput}): with epoll (readiness only), and with io_uring when its ring defers
     * completions to the server thread's next entry into the ring (else the ring could take
     * bytes from the socket while the command runs, and the two reads would interleave).
     */
    boolean readsOutsideLoop() {
        return switch (this) {
            case EPOLL -> true;
            case IO_URING -> ioUringDefersTaskRun();
            case NIO -> false;
        };
    }

    private static boolean ioUringDefersTaskRun() {
        try {
            var m = IoUring.class.getDeclaredMethod("isSetupDeferTaskrunSupported");
            m.setAccessible(true);
            return (boolean) m.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
