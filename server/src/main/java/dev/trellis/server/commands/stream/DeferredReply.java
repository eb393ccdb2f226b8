package dev.trellis.server.commands.stream;

import dev.trellis.server.resp.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayDeque;

/**
 * An array or map whose length is known only after its elements are written (Redis's
 * addReplyDeferredLen): {@link #begin} points the reply writer at a scratch buffer,
 * {@link #endArray}/{@link #endMap} write the header to the real buffer followed by the
 * elements. Nesting works (each level keeps the buffer it replaced). Scratch buffers are
 * reused per thread, since each server executes commands on one thread.
 */
final class DeferredReply {
    private static final ThreadLocal<ArrayDeque<ByteBuf>> POOL = ThreadLocal.withInitial(ArrayDeque::new);
    private static final int KEEP_CAPACITY = 1 << 16;

    private final Reply reply;
    private final ByteBuf real;
    private final ByteBuf side;

    private DeferredReply(Reply reply) {
        this.reply = reply;
        this.real = reply.buffer();
        ByteBuf b = POOL.get().pollFirst();
        this.side = b != null ? b : Unpooled.buffer(256);
        reply.buffer(side);
    }

    static DeferredReply begin(Reply r) {
        return new DeferredReply(r);
    }

    void endArray(long n) {
        end(r -> r.array(n));
    }

    void endMap(long n) {
        end(r -> r.map(n));
    }

    /** Writes {@code header} (anything: a length, or values that precede the elements), then the elements. */
    void end(java.util.function.Consumer<Reply> header) {
        reply.buffer(real);
        header.accept(reply);
        finish();
    }

    /** Drops what was written (the reply becomes an error or another value instead). */
    void discard() {
        reply.buffer(real);
        recycle();
    }

    private void finish() {
        real.writeBytes(side, side.readerIndex(), side.readableBytes());
        recycle();
    }

    private void recycle() {
        if (side.capacity() <= KEEP_CAPACITY) {
            side.clear();
            POOL.get().addFirst(side);
        }
    }
}
