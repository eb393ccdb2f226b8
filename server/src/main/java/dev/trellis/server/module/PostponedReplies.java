package dev.trellis.server.module;

import dev.trellis.server.resp.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * Replies whose length is given after their elements ({@code REDISMODULE_POSTPONED_LEN}).
 *
 * <p>While any postponed collection is open, the client's reply writer is pointed at a side
 * buffer; each postponed header is a mark in that buffer. Setting a length (always the most
 * recently opened one, as in Redis) encodes the header for the client's protocol. When the
 * last open one is closed, the side buffer is copied to the real output with every header
 * spliced in at its mark. Nesting and mixing with fixed-length replies work naturally.
 */
public final class PostponedReplies {
    /** The collection kinds a module can postpone. */
    public enum Kind { ARRAY, MAP, SET, ATTRIBUTE, PUSH }

    private ByteBuf real;
    private final ByteBuf side = Unpooled.buffer(256);
    private final ByteBuf scratch = Unpooled.buffer(32);
    private final Reply headerWriter = new Reply(scratch);
    private int[] marks = new int[8];
    private byte[][] headers = new byte[8][];
    private int count;
    private int[] open = new int[8];
    private int openCount;

    /** Number of postponed collections whose length is not set yet. */
    public int pending() {
        return openCount;
    }

    /** Starts a postponed collection at the current position of {@code r}. */
    public void open(Reply r) {
        if (count == 0) {
            real = r.buffer();
            side.clear();
            r.buffer(side);
        }
        if (count == marks.length) {
            marks = Arrays.copyOf(marks, count * 2);
            headers = Arrays.copyOf(headers, count * 2);
        }
        if (openCount == open.length) {
            open = Arrays.copyOf(open, openCount * 2);
        }
        marks[count] = side.writerIndex();
        headers[count] = null;
        open[openCount++] = count;
        count++;
    }

    /**
     * Sets the length of the most recent open collection. Returns false when none is open
     * (an API misuse the caller logs).
     */
    public boolean close(Reply r, Kind kind, long len) {
        if (openCount == 0) {
            return false;
        }
        int idx = open[--openCount];
        scratch.clear();
        headerWriter.protocol(r.protocol());
        switch (kind) {
            case ARRAY -> headerWriter.array(len);
            case MAP -> headerWriter.map(len);
            case SET -> headerWriter.set(len);
            case ATTRIBUTE -> headerWriter.attribute(len);
            case PUSH -> headerWriter.push(len);
        }
        byte[] h = new byte[scratch.readableBytes()];
        scratch.readBytes(h);
        headers[idx] = h;
        if (openCount == 0) {
            flush(r);
        }
        return true;
    }

    /**
     * Ends the invocation with collections still open (an API misuse): what was written goes
     * out without the missing headers, and the writer is restored.
     */
    public void abandon(Reply r) {
        openCount = 0;
        if (count > 0) {
            flush(r);
        }
    }

    void clear() {
        count = 0;
        openCount = 0;
        real = null;
    }

    private void flush(Reply r) {
        ByteBuf out = real;
        int prev = 0;
        for (int i = 0; i < count; i++) {
            out.writeBytes(side, prev, marks[i] - prev);
            if (headers[i] != null) {
                out.writeBytes(headers[i]);
            }
            prev = marks[i];
            headers[i] = null;
        }
        out.writeBytes(side, prev, side.writerIndex() - prev);
        side.clear();
        if (side.capacity() > 1 << 20) {
            side.capacity(256);
        }
        r.buffer(out);
        count = 0;
        real = null;
    }
}
