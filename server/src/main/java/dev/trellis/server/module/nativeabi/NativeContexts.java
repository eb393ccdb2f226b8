package dev.trellis.server.module.nativeabi;

import dev.trellis.server.client.Client;
import dev.trellis.server.module.ModuleContext;

/**
 * The native half of a {@code RedisModuleCtx} ({@code TrellisCtx} in the shim's header): the
 * words after tag and slot in a context's handle block, which the shim's fast paths
 * ({@code native/shim/fast_paths.c}) use to serve AutoMemory and the plain ReplyWith* calls
 * without an upcall.
 * <pre>
 *  16  uint32 flags   TRELLIS_CTX_AUTO_MEMORY, set by the shim's AutoMemory
 *  20  uint32 reply   0: replies go through Java; 2/3: the shim appends them to rbuf in
 *                     the client's protocol
 *  24  char  *rbuf    the context's reply buffer (malloc'd; the shim may realloc it)
 *  32  size_t rlen    bytes written and not yet handed to the client
 *  40  size_t rcap
 * </pre>
 * Bytes the shim wrote reach the client when the command returns ({@link #finish}) and, through
 * the shim's {@code flush_replies} upcall, before any other API call runs in Java, so the client
 * sees replies in the order the module made them.
 */
final class NativeContexts {
    private static final long FLAGS = 16;
    private static final long REPLY = 20;
    private static final long RBUF = 24;
    private static final long RLEN = 32;
    private static final long RCAP = 40;
    private static final int AUTO_MEMORY_BIT = 1;
    /** Reply buffers larger than this are given back when a command ends. */
    private static final long KEEP_BUFFER = 64 * 1024;

    private NativeContexts() {
    }

    /** Fills the native words of a context's new handle: no flags, replies through Java, no buffer. */
    static void init(long addr) {
        Native.putLong(addr + FLAGS, 0); // flags and reply
        Native.putLong(addr + RBUF, 0);
        Native.putLong(addr + RLEN, 0);
        Native.putLong(addr + RCAP, 0);
    }

    /** A pooled context's handle opened again: no flags, replies through Java (the buffer stays). */
    static void reopen(long addr) {
        Native.putLong(addr + FLAGS, 0); // flags and reply
        Native.putLong(addr + RLEN, 0);
    }

    /** Lets the shim encode this command context's plain replies natively, for client {@code c}. */
    static void enableNativeReplies(ModuleContext ctx, Client c) {
        Native.putInt(ctx.address + REPLY, c.reply().resp3() ? 3 : 2);
    }

    /** Moves a native AutoMemory request into the context's flags (called on every lookup). */
    static void syncFlags(ModuleContext ctx, long addr) {
        int f = Native.getInt(addr + FLAGS);
        if ((f & AUTO_MEMORY_BIT) != 0) {
            ctx.flags |= ModuleContext.AUTO_MEMORY;
            Native.putInt(addr + FLAGS, f & ~AUTO_MEMORY_BIT);
        }
    }

    /** Hands natively written reply bytes to the context's client. */
    static void flush(ModuleContext ctx) {
        long a = ctx.address;
        long len = Native.getLong(a + RLEN);
        if (len == 0) {
            return;
        }
        Native.putLong(a + RLEN, 0);
        Client c = ctx.client();
        if (c != null) {
            ReplyApi.writeNative(c.reply().buffer(), Native.getLong(a + RBUF), len);
        }
    }

    /** The shim's flush_replies upcall: another API call is about to run in Java. */
    static void flushUpcall(long ctxp) {
        ModuleContext ctx = NativeRuntime.get().context(ctxp);
        if (ctx != null) {
            flush(ctx);
        }
    }

    /** End of a command: pending bytes to the client; the buffer stays with the handle for reuse. */
    static void finish(ModuleContext ctx) {
        long a = ctx.address;
        if (Native.getInt(a + REPLY) == 0) {
            return;
        }
        flush(ctx);
        Native.putInt(a + REPLY, 0);
        if (Native.getLong(a + RCAP) > KEEP_BUFFER) {
            Native.free(Native.getLong(a + RBUF));
            Native.putLong(a + RBUF, 0);
            Native.putLong(a + RCAP, 0);
        }
    }

    /** Frees the reply buffer of a handle that is about to be released. */
    static void dispose(long addr) {
        long buf = Native.getLong(addr + RBUF);
        if (buf != 0) {
            Native.free(buf);
            Native.putLong(addr + RBUF, 0);
            Native.putLong(addr + RCAP, 0);
        }
    }
}
