package dev.trellis.server.commands.list;

import dev.trellis.server.client.Client;
import dev.trellis.server.log.ServerLog;

/**
 * A brake for replies whose size the client chooses (SRANDMEMBER/HRANDFIELD with a huge
 * negative count): past a limit the reply is cut and the client closed, as Redis closes a client
 * that overcomes its output buffer limit, instead of filling the heap.
 */
public final class ReplyLimit {
    private static final long LIMIT = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 8);

    private ReplyLimit() {
    }

    /** True (and the client marked to close) when the pending reply is over the limit. */
    public static boolean exceeded(Client c) {
        if (c.reply().buffer().readableBytes() <= LIMIT) {
            return false;
        }
        if (!c.closeAfterReply) {
            ServerLog.get().warning("Client " + c + " closed: reply over " + LIMIT + " bytes");
        }
        c.closeAfterReply = true;
        c.flags |= Client.FLAG_CLOSE_ASAP;
        return true;
    }
}
