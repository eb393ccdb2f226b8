package dev.trellis.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.DefaultMaxMessagesRecvByteBufAllocator;

/**
 * Lets every read of one connection land in the same direct buffer, as Redis reads into its
 * client's query buffer, instead of Netty taking a fresh pooled buffer from the arena for each
 * read (an allocation, a recycler round trip and a reference-count reset per request at
 * pipeline depth 1).
 *
 * <p>One instance per channel: the buffer belongs to the channel's {@link Connection}, which
 * releases its own reference when the channel closes. Each read hands the buffer out with one
 * extra reference, which the reader (or Netty, on an empty read) drops; if a reader ever kept
 * it, the next read takes a fresh buffer from the allocator instead.
 */
final class ReadBufferAllocator extends DefaultMaxMessagesRecvByteBufAllocator {
    /** Redis reads 16 KiB per read() too (PROTO_IOBUF_LEN). */
    static final int READ_SIZE = 16 * 1024;

    /** Owns the reused buffer. */
    interface Owner {
        /** The connection's read buffer, allocated on first use from {@code alloc}. */
        ByteBuf readBuffer(ByteBufAllocator alloc);
    }

    private final Owner owner;

    ReadBufferAllocator(Owner owner) {
        super(16);
        this.owner = owner;
    }

    @Override
    public Handle newHandle() {
        return new MaxMessageHandle() {
            @Override
            public ByteBuf allocate(ByteBufAllocator alloc) {
                ByteBuf b = owner.readBuffer(alloc);
                if (b == null || b.refCnt() != 1) {
                    return alloc.ioBuffer(READ_SIZE); // still held by a reader, or closed
                }
                return b.clear().retain();
            }

            @Override
            public int guess() {
                return READ_SIZE;
            }
        };
    }
}
