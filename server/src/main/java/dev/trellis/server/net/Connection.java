package dev.trellis.server.net;

import dev.trellis.server.Server;
import dev.trellis.server.command.Dispatcher;
import dev.trellis.server.client.Client;
import dev.trellis.server.client.ClientTransport;
import dev.trellis.server.config.Config;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.resp.ProtocolException;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.resp.RequestParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.UnixChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One client connection. Reads accumulate in a query buffer; every complete request in it is
 * parsed and executed in order on the server thread; replies accumulate in one output buffer
 * that is flushed once per read batch, so a pipeline of thousands of commands costs one write.
 */
final class Connection extends ChannelInboundHandlerAdapter implements ClientTransport, ReadBufferAllocator.Owner {
    private static final int FLUSH_THRESHOLD = 64 * 1024;
    private static final byte[] MAX_CLIENTS = "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Server server;
    private final ServerLock gil;
    /** The loop turn in which this connection last sent replies (module EVENTLOOP turns). */
    private long repliedTurn = -1;
    /** The transport lets replies go out with a direct write() (see {@link #writeDirect()}). */
    private final boolean directWrites;
    private final RequestParser parser = new RequestParser();
    private ChannelHandlerContext ctx;
    /** The query buffer: unparsed request bytes are qbuf[qpos..qend). */
    private byte[] qbuf = EMPTY;
    private int qpos;
    private int qend;
    private static final byte[] EMPTY = new byte[0];
    private static final int QBUF_KEEP = 64 * 1024;
    private ByteBuf out;
    /**
     * The output buffer last handed to the channel, with our own reference kept: once the
     * channel has sent and released it, it becomes the next output buffer, so a connection
     * alternates between two buffers instead of allocating one per flush.
     */
    private ByteBuf sent;
    /** Where every read() of this connection lands (see {@link ReadBufferAllocator}). */
    private ByteBuf readBuf;
    private boolean inactive;
    private Client client;
    private boolean closing;
    private boolean detached;
    private boolean paused;
    /** Replies of requests served during a long command go out with write() on any transport. */
    private boolean busyWrite;
    private boolean busyEarlierWritesIssued;
    private long softLimitSince;

    Connection(Server server, ServerLock gil, boolean directWrites) {
        this.server = server;
        this.gil = gil;
        this.directWrites = directWrites;
    }

    @Override
    public ByteBuf readBuffer(ByteBufAllocator alloc) {
        if (readBuf == null && !inactive) {
            readBuf = alloc.ioBuffer(ReadBufferAllocator.READ_SIZE, ReadBufferAllocator.READ_SIZE);
        }
        return readBuf;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        gil.acquireForWork();
        this.ctx = ctx;
        Config cfg = server.config();
        server.stats().totalConnections++;
        if (server.clients().size() >= cfg.maxClients) {
            server.stats().rejectedConnections++;
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(MAX_CLIENTS)).addListener(ChannelFutureListener.CLOSE);
            closing = true;
            return;
        }
        if (cfg.protectedMode && cfg.requirePass.isEmpty() && !isLocal()) {
            server.stats().rejectedConnections++;
            ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(ProtectedMode.DENIED)).addListener(ChannelFutureListener.CLOSE);
            closing = true;
            return;
        }
        out = ctx.alloc().ioBuffer(4096);
        client = server.newClient(this, new Reply(out));
        parser.setMaxBulkLen(cfg.protoMaxBulkLen);
        ServerLog.get().verbose("Accepted " + remoteAddress());
    }

    /** A unix socket or a loopback peer: protected mode lets only these in. */
    private boolean isLocal() {
        SocketAddress a = ctx.channel().remoteAddress();
        if (a instanceof InetSocketAddress ia) {
            return ia.getAddress() != null && ia.getAddress().isLoopbackAddress();
        }
        return true; // unix sockets
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        int n;
        boolean locked = gil.tryAcquireForWork();
        try {
            if (closing || client == null) {
                gil.acquireForWork();
                return;
            }
            // The bytes join the query buffer before the lock is awaited: this connection's own
            // state, touched only by this thread. While a module thread holds the lock, the work
            // it lends the server thread (a Yield) can then answer them.
            n = in.readableBytes();
            ensureQueryRoom(n);
            in.readBytes(qbuf, qend, n);
            qend += n;
        } finally {
            in.release();
        }
        if (!locked) {
            gil.acquireForWork();
        }
        if (repliedTurn == gil.turn() && gil.hasSleepListener()) {
            gil.turnWithinPoll();
        }
        countRead(n);
        processQuery();
    }

    /** A read of {@code n} bytes joined the query buffer (CLIENT LIST and INFO counters). */
    private void countRead(int n) {
        client.netInputBytes += n;
        server.stats().netInputBytes += n;
        server.stats().totalReadsProcessed++;
    }

    /** Whether the query buffer holds bytes not yet run (see {@link BusyInput}). */
    boolean hasUnreadInput() {
        return qpos < qend;
    }

    /** Makes room for {@code n} more bytes, compacting consumed bytes first. */
    private void ensureQueryRoom(int n) {
        if (qbuf.length - qend >= n) {
            return;
        }
        int live = qend - qpos;
        if (qpos > 0 && qbuf.length - live >= n && live < qbuf.length / 2) {
            System.arraycopy(qbuf, qpos, qbuf, 0, live);
        } else {
            long want = Math.max((long) live + n, Math.min((long) qbuf.length * 2, Integer.MAX_VALUE - 8));
            want = Math.max(want, 16 * 1024);
            byte[] bigger = new byte[(int) Math.min(want, Integer.MAX_VALUE - 8)];
            System.arraycopy(qbuf, qpos, bigger, 0, live);
            qbuf = bigger;
        }
        qpos = 0;
        qend = live;
    }

    /** Executes every complete request in the query buffer, unless the client is paused/blocked. */
    void processQuery() {
        parser.setMaxBulkLen(server.config().protoMaxBulkLen);
        Dispatcher dispatcher = server.dispatcher();
        dispatcher.beginBatch();
        try {
            while (!closing && !paused && qpos < qend) {
                parser.setUnauthenticated(!client.authenticated() && server.authRequired());
                int start = qpos;
                int next = parser.parse(qbuf, qpos, qend);
                if (next == RequestParser.INCOMPLETE) {
                    qpos = parser.consumed();
                    break;
                }
                qpos = next;
                if (parser.argc() == 0) {
                    continue;
                }
                // As in Redis, the query buffer still holds the running command (CLIENT LIST qbuf).
                client.queryBufferBytes = qend - start;
                client.argv = parser.args();
                client.argc = parser.argc();
                client.lastInteractionMs = server.cachedTimeMs();
                dispatch();
            }
        } catch (ProtocolException e) {
            ServerLog.get().verbose("Protocol error (" + e.getMessage() + ") from client: " + client);
            client.reply().error("ERR " + e.getMessage());
            closing = true;
            flushAndClose();
            return;
        } finally {
            dispatcher.endBatch();
        }
        client.queryBufferBytes = qend - qpos;
        if (qpos == qend) {
            qpos = qend = 0;
            if (qbuf.length > QBUF_KEEP) {
                qbuf = EMPTY; // give back a buffer grown by a big request
            }
        } else if ((qend - qpos) + parser.pendingBulkLen() > server.config().clientQueryBufferLimit) {
            ServerLog.get().warning("Closing client that reached max query buffer length: " + client);
            server.stats().clientQueryBufferLimitDisconnections++;
            closeNow();
        }
    }

    // --- while a long command runs (see BusyInput) -----------------------------------------

    /** The socket to read while the server is busy, or -1 when this connection is not to be read. */
    int fdForBusyRead() {
        if (closing || inactive || paused || client == null || ctx == null
                || !(ctx.channel() instanceof UnixChannel u) || !ctx.channel().isActive()) {
            return -1;
        }
        return u.fd().intValue();
    }

    /** Bytes read from the socket while busy: they join the query buffer as a read would. */
    void appendBusyInput(java.lang.foreign.MemorySegment bytes, int n) {
        countRead(n);
        ensureQueryRoom(n);
        java.lang.foreign.MemorySegment.copy(bytes, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, qbuf, qend, n);
        qend += n;
    }

    /**
     * Runs what was read while busy and sends the replies at once: the AOF is written first
     * (as Redis's beforeSleep does while processing events during a long command), so the
     * reply barrier has nothing to hold them for.
     */
    void serveBusyInput() {
        // A reply flushed in an earlier turn of the loop has been handed to the kernel (io_uring
        // submits at the start of a turn), though the channel may not have heard it completed.
        busyEarlierWritesIssued = repliedTurn < gil.turn();
        processQuery();
        if (!closing && out != null && out.isReadable()) {
            Server.ReplyBarrier barrier = server.replyBarrier();
            if (barrier != null) {
                barrier.syncNow();
            }
            // Straight to the socket: io_uring would send only once the loop runs again.
            busyWrite = true;
            try {
                writeOut(true);
            } finally {
                busyWrite = false;
            }
        }
    }

    /** Runs the request in {@code client.argv}, then applies reply mode, closing and limits. */
    private void dispatch() {
        int mark = out.writerIndex();
        Client.ReplyMode before = client.replyMode;
        server.dispatcher().process(client);
        if (paused) {
            return; // postponed or blocked: nothing was written, the command completes later
        }
        afterCommand(mark, before);
    }

    private void afterCommand(int mark, Client.ReplyMode before) {
        Client.ReplyMode now = client.replyMode;
        // CLIENT REPLY OFF silences every reply; SKIP silences the command after CLIENT REPLY SKIP.
        if (now == Client.ReplyMode.OFF || before == Client.ReplyMode.SKIP || now == Client.ReplyMode.SKIP) {
            out.writerIndex(Math.max(out.readerIndex(), Math.min(mark, out.writerIndex())));
            if (before == Client.ReplyMode.SKIP && now == Client.ReplyMode.SKIP) {
                client.replyMode = Client.ReplyMode.ON;
            }
        }
        if (client.closeAfterReply) {
            closing = true;
            flushAndClose();
            return;
        }
        if (out.readableBytes() >= FLUSH_THRESHOLD) {
            writeOut(false);
            server.dispatcher().resetBatchClock(); // the write's time is no command's
        }
        checkOutputLimits();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        gil.acquireForWork();
        if (!closing && out != null) {
            writeOut(true);
        }
    }

    private void writeOut(boolean flush) {
        if (flush) {
            Server.ReplyBarrier barrier = server.replyBarrier();
            if (barrier != null && barrier.hold(this::flushAsync)) {
                return; // the AOF writes what these replies acknowledge first
            }
        }
        if (out.isReadable()) {
            repliedTurn = gil.turn();
            int n = out.readableBytes();
            client.netOutputBytes += n;
            server.stats().netOutputBytes += n;
            server.stats().totalWritesProcessed++;
            if (flush && (directWrites || busyWrite) && writeDirect()) {
                return;
            }
            ByteBuf full = out;
            out = nextOutputBuffer();
            client.reply().buffer(out);
            if (sent != null) {
                sent.release();
            }
            sent = full.retain();
            if (flush) {
                ctx.writeAndFlush(full, ctx.voidPromise());
            } else {
                ctx.write(full, ctx.voidPromise());
            }
        } else if (flush) {
            ctx.flush();
        }
    }

    /**
     * Writes the output buffer straight to the socket when nothing is queued in Netty's
     * outbound buffer, and keeps the buffer for the next replies: the common case of a reply
     * that fits the socket costs one write() and no allocation. Whatever the socket does not
     * take goes through Netty's normal path. Returns true when the buffer was fully handled.
     * Used where the transport allows it, and on any transport for replies sent while busy.
     */
    private boolean writeDirect() {
        if (!(ctx.channel() instanceof UnixChannel u) || !out.hasMemoryAddress()) {
            return false;
        }
        ChannelOutboundBuffer ob = ctx.channel().unsafe().outboundBuffer();
        if (ob == null || !ctx.channel().isActive()) {
            return false;
        }
        // Queued output goes first, through the channel. While busy under io_uring the channel
        // cannot send until the command ends; output it issued in an earlier turn is with the
        // kernel already, so small replies may follow it directly.
        if (!ob.isEmpty() && !(busyWrite && busyEarlierWritesIssued && ctx.channel().isWritable()
                && ob.totalPendingWriteBytes() < FLUSH_THRESHOLD)) {
            return false;
        }
        int written;
        try {
            written = u.fd().writeAddress(out.memoryAddress(), out.readerIndex(), out.writerIndex());
        } catch (java.io.IOException e) {
            return false; // let Netty's path see and report the error
        }
        if (written > 0) {
            out.skipBytes(written);
        }
        if (!out.isReadable()) {
            out.clear();
            if (out.capacity() > FLUSH_THRESHOLD * 4) {
                out.release();
                out = ctx.alloc().ioBuffer(4096);
                client.reply().buffer(out);
            }
            return true;
        }
        return false;
    }

    /** The buffer the channel has finished with, if it has, else a fresh one. */
    private ByteBuf nextOutputBuffer() {
        ByteBuf b = sent;
        if (b != null && b.refCnt() == 1 && b.capacity() <= FLUSH_THRESHOLD * 4) {
            sent = null;
            return b.clear();
        }
        return ctx.alloc().ioBuffer(4096);
    }

    /** The client-output-buffer-limit class: normal, replica or pubsub (subscribed clients). */
    private int limitClass() {
        int f = client.flags;
        if ((f & Client.FLAG_REPLICA) != 0 && (f & Client.FLAG_MONITOR) == 0) {
            return 1;
        }
        return (f & Client.FLAG_PUBSUB) != 0 ? 2 : 0;
    }

    private void checkOutputLimits() {
        int cls = limitClass();
        long hard = server.config().outputLimits.hard[cls];
        long soft = server.config().outputLimits.soft[cls];
        long softSecs = server.config().outputLimits.softSeconds[cls];
        if (hard == 0 && soft == 0) {
            return;
        }
        long pending = pendingOutputBytes();
        boolean overSoft = soft > 0 && pending > soft;
        if (!overSoft) {
            softLimitSince = 0;
        } else if (softLimitSince == 0) {
            softLimitSince = System.currentTimeMillis();
        }
        if ((hard > 0 && pending > hard)
                || (overSoft && System.currentTimeMillis() - softLimitSince >= softSecs * 1000)) {
            ServerLog.get().warning("Client " + client + " scheduled to be closed ASAP for overcoming of output buffer limits.");
            server.stats().clientOutputBufferLimitDisconnections++;
            closeNow();
        }
    }

    private void flushAndClose() {
        Server.ReplyBarrier barrier = server.replyBarrier();
        if (barrier != null) {
            barrier.syncNow();
        }
        ByteBuf full = out;
        out = ctx.alloc().ioBuffer(16);
        client.reply().buffer(out);
        ctx.writeAndFlush(full).addListener(ChannelFutureListener.CLOSE);
        // The last reply is on its way: the client leaves the server now, as Redis frees it
        // right after writing (QUIT, a client whose ACL user was deleted or lost its channels).
        detach();
    }

    private void closeNow() {
        closing = true;
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        gil.acquireForWork();
        detach();
        qbuf = EMPTY;
        qpos = qend = 0;
        inactive = true;
        if (readBuf != null) {
            readBuf.release();
            readBuf = null;
        }
        if (out != null) {
            out.release();
            out = null;
        }
        if (sent != null) {
            sent.release();
            sent = null;
        }
        closing = true;
    }

    /**
     * The client closed its side: it leaves at once, as Redis frees a client whose read returns
     * 0 (module disconnect events, CLIENT LIST), and its socket is closed. Left to Netty, the
     * close completes asynchronously on io_uring, so the server would notice the client gone
     * only after commands other clients sent meanwhile.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
            gil.acquireForWork();
            detach();
            closing = true;
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        gil.acquireForWork();
        ServerLog.get().verbose("Client " + client + " error: " + cause.getMessage());
        ctx.close();
    }

    // --- ClientTransport ----------------------------------------------------------------

    @Override
    public void close(boolean afterReplies) {
        if (closing) {
            return;
        }
        closing = true;
        if (afterReplies) {
            flushAndClose();
        } else {
            // Gone at once, as Redis frees a killed client: the channel may report itself
            // inactive only after the transport's pending operations are cancelled.
            detach();
            ctx.close();
        }
    }

    /** Takes the client out of the server (client list, subscriptions, blocking), once. */
    private void detach() {
        if (client != null && !detached) {
            detached = true;
            server.removeClient(client);
            server.clientClosed(client);
        }
    }

    @Override
    public long pendingOutputBytes() {
        long n = out == null ? 0 : out.readableBytes();
        ChannelOutboundBuffer ob = ctx.channel().unsafe().outboundBuffer();
        return ob == null ? n : n + ob.totalPendingWriteBytes();
    }

    @Override
    public void flushAsync() {
        if (closing || out == null) {
            return;
        }
        if (ctx.executor().inEventLoop()) {
            // Output that arrives outside the client's own command (a blocked client's reply,
            // messages) is checked before it is written, as Redis checks as it appends: a reply
            // over the hard limit never reaches the client.
            checkOutputLimits();
            if (!closing) {
                writeOut(true);
                checkOutputLimits();
            }
        } else {
            ctx.executor().execute(this::flushAsync);
        }
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resumePostponed() {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(this::resumePostponed);
            return;
        }
        if (!paused || closing) {
            return;
        }
        paused = false;
        dispatch();
        if (!paused) {
            processQuery();
        }
        flushAsync();
    }

    @Override
    public long queryBufferFree() {
        return qbuf.length - qend;
    }

    @Override
    public long replyBufferSize() {
        return out == null ? 0 : out.capacity();
    }

    @Override
    public void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        if (ctx.executor().inEventLoop()) {
            processQuery();
            flushAsync();
        } else {
            ctx.executor().execute(() -> {
                processQuery();
                flushAsync();
            });
        }
    }

    @Override
    public String remoteAddress() {
        return format(ctx.channel().remoteAddress());
    }

    @Override
    public String localAddress() {
        return format(ctx.channel().localAddress());
    }

    static String format(SocketAddress a) {
        if (a instanceof InetSocketAddress ia) {
            String host = ia.getAddress() == null ? ia.getHostString() : ia.getAddress().getHostAddress();
            if (host.startsWith("::ffff:")) {
                host = host.substring(7);
            }
            int pct = host.indexOf('%');
            if (pct >= 0) {
                host = host.substring(0, pct);
            }
            if (host.equals("0:0:0:0:0:0:0:1")) {
                host = "::1";
            }
            return host + ":" + ia.getPort();
        }
        if (a instanceof DomainSocketAddress d) {
            return d.path() + ":0";
        }
        return a == null ? "?" : a.toString();
    }

    @Override
    public int fd() {
        if (ctx.channel() instanceof UnixChannel u) {
            return u.fd().intValue();
        }
        return -1;
    }

    @Override
    public boolean isUnixSocket() {
        SocketAddress a = ctx.channel().localAddress();
        return a instanceof DomainSocketAddress || a instanceof java.net.UnixDomainSocketAddress;
    }
}
