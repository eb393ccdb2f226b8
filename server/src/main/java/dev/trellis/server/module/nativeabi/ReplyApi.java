package dev.trellis.server.module.nativeabi;

import dev.trellis.server.client.Client;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.module.CallReply;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.module.PostponedReplies;
import dev.trellis.server.resp.Reply;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * RedisModule_ReplyWith*: replies go to the client the context acts for (none for contexts
 * without a client, e.g. timers: then they are dropped). RESP3 types fall back for RESP2
 * clients as {@link Reply} does. (ReplyWithErrorFormat and ReplyWithLongDouble enter through
 * the shim and end here.)
 */
final class ReplyApi {
    private static final int OK = 0;
    private static final int ERR = 1;
    static final long POSTPONED = -1;

    private ReplyApi() {
    }

    /** The reply writer of the context's client, or null when replies go nowhere. */
    private static Reply reply(long ctxp) {
        Client c = CoreApi.ctx(ctxp).client();
        return c == null ? null : c.reply();
    }

    @Api
    static int ReplyWithLongLong(long ctxp, long v) {
        Reply r = reply(ctxp);
        if (r != null) {
            r.integer(v);
        }
        return OK;
    }

    @Api
    static int ReplyWithError(long ctxp, long msgp) {
        Reply r = reply(ctxp);
        if (r != null) {
            r.error(errorText(Native.readCString(msgp)));
        }
        return OK;
    }

    /** The shim's ReplyWithErrorFormat ends here with the formatted text. */
    static int replyErrorText(long ctxp, long msgp, long len) {
        Reply r = reply(ctxp);
        if (r != null) {
            r.error(errorText(new String(Native.bytes(msgp, len), StandardCharsets.UTF_8)));
        }
        return OK;
    }

    /** Redis writes "-" + the module's text verbatim (its first word is the error code). */
    private static String errorText(String s) {
        return s;
    }

    @Api
    static int ReplyWithSimpleString(long ctxp, long msgp) {
        Reply r = reply(ctxp);
        if (r != null) {
            ByteBuf b = r.buffer();
            b.writeByte('+');
            long len = Native.strlen(msgp);
            writeNative(b, msgp, len);
            b.writeByte('\r').writeByte('\n');
        }
        return OK;
    }

    private static int collection(long ctxp, long len, PostponedReplies.Kind kind) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        Client c = ctx.client();
        if (c == null) {
            return OK;
        }
        Reply r = c.reply();
        if (kind == PostponedReplies.Kind.ATTRIBUTE && !r.resp3()) {
            return ERR;
        }
        if (len == POSTPONED) {
            ctx.postponed().open(r);
            return OK;
        }
        switch (kind) {
            case ARRAY -> r.array(len);
            case MAP -> r.map(len);
            case SET -> r.set(len);
            case ATTRIBUTE -> r.attribute(len);
            case PUSH -> r.push(len);
        }
        return OK;
    }

    @Api
    static int ReplyWithArray(long ctxp, long len) {
        return collection(ctxp, len, PostponedReplies.Kind.ARRAY);
    }

    @Api
    static int ReplyWithMap(long ctxp, long len) {
        return collection(ctxp, len, PostponedReplies.Kind.MAP);
    }

    @Api
    static int ReplyWithSet(long ctxp, long len) {
        return collection(ctxp, len, PostponedReplies.Kind.SET);
    }

    @Api(onError = ERR)
    static int ReplyWithAttribute(long ctxp, long len) {
        return collection(ctxp, len, PostponedReplies.Kind.ATTRIBUTE);
    }

    private static void setLength(long ctxp, long len, PostponedReplies.Kind kind) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        Client c = ctx.client();
        if (c == null) {
            return;
        }
        if (kind == PostponedReplies.Kind.ATTRIBUTE && !c.reply().resp3()) {
            return;
        }
        if (!ctx.hasPostponed() || !ctx.postponed().close(c.reply(), kind, len)) {
            ServerLog.get().warning("API misuse detected in module " + (ctx.module() == null ? "?" : ctx.module().name())
                    + ": RedisModule_ReplySet*Length() called without previous "
                    + "RedisModule_ReplyWith*(ctx,REDISMODULE_POSTPONED_LEN) call.");
        }
    }

    @Api
    static void ReplySetArrayLength(long ctxp, long len) {
        setLength(ctxp, len, PostponedReplies.Kind.ARRAY);
    }

    @Api
    static void ReplySetMapLength(long ctxp, long len) {
        setLength(ctxp, len, PostponedReplies.Kind.MAP);
    }

    @Api
    static void ReplySetSetLength(long ctxp, long len) {
        setLength(ctxp, len, PostponedReplies.Kind.SET);
    }

    @Api
    static void ReplySetAttributeLength(long ctxp, long len) {
        setLength(ctxp, len, PostponedReplies.Kind.ATTRIBUTE);
    }

    @Api
    static void ReplySetPushLength(long ctxp, long len) {
        setLength(ctxp, len, PostponedReplies.Kind.PUSH);
    }

    @Api
    static int ReplyWithNullArray(long ctxp) {
        Reply r = reply(ctxp);
        if (r != null) {
            r.nullArray();
        }
        return OK;
    }

    @Api
    static int ReplyWithEmptyArray(long ctxp) {
        Reply r = reply(ctxp);
        if (r != null) {
            r.emptyArray();
        }
        return OK;
    }

    @Api
    static int ReplyWithStringBuffer(long ctxp, long buf, long len) {
        Reply r = reply(ctxp);
        if (r != null) {
            bulk(r, buf, len);
        }
        return OK;
    }

    @Api
    static int ReplyWithCString(long ctxp, long buf) {
        Reply r = reply(ctxp);
        if (r != null) {
            bulk(r, buf, Native.strlen(buf));
        }
        return OK;
    }

    @Api
    static int ReplyWithString(long ctxp, long str) {
        Reply r = reply(ctxp);
        if (r != null) {
            if (str == 0) {
                r.nullBulk();
            } else {
                bulk(r, NativeStrings.ptr(str), NativeStrings.len(str));
            }
        }
        return OK;
    }

    @Api
    static int ReplyWithEmptyString(long ctxp) {
        Reply r = reply(ctxp);
        if (r != null) {
            r.bulk(new byte[0]);
        }
        return OK;
    }

    @Api
    static int ReplyWithVerbatimString(long ctxp, long buf, long len) {
        Reply r = reply(ctxp);
        if (r != null) {
            r.verbatim("txt", Native.bytes(buf, len));
        }
        return OK;
    }

    @Api
    static int ReplyWithVerbatimStringType(long ctxp, long buf, long len, long extp) {
        Reply r = reply(ctxp);
        if (r != null) {
            String ext = extp == 0 ? "txt" : Native.readCString(extp);
            if (ext.length() != 3) {
                ext = (ext + "   ").substring(0, 3);
            }
            r.verbatim(ext, Native.bytes(buf, len));
        }
        return OK;
    }

    @Api
    static int ReplyWithNull(long ctxp) {
        Reply r = reply(ctxp);
        if (r != null) {
            r.nullBulk();
        }
        return OK;
    }

    @Api
    static int ReplyWithBool(long ctxp, int b) {
        Reply r = reply(ctxp);
        if (r != null) {
            r.bool(b != 0);
        }
        return OK;
    }

    @Api
    static int ReplyWithDouble(long ctxp, double d) {
        Reply r = reply(ctxp);
        if (r != null) {
            r.doubleValue(d);
        }
        return OK;
    }

    @Api
    static int ReplyWithBigNumber(long ctxp, long buf, long len) {
        Reply r = reply(ctxp);
        if (r != null) {
            r.bigNumber(new String(Native.bytes(buf, len), StandardCharsets.US_ASCII));
        }
        return OK;
    }

    /** The shim's ReplyWithLongDouble ends here with the "human" text of the value. */
    static int replyHumanDouble(long ctxp, long buf, long len) {
        Reply r = reply(ctxp);
        if (r != null) {
            if (r.resp3()) {
                ByteBuf b = r.buffer();
                b.writeByte(',');
                writeNative(b, buf, len);
                b.writeByte('\r').writeByte('\n');
            } else {
                bulk(r, buf, len);
            }
        }
        return OK;
    }

    @Api(onError = ERR)
    static int ReplyWithCallReply(long ctxp, long replyp) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        Client c = ctx.client();
        CallReply cr = CallApi.reply(replyp);
        if (c == null || cr == null) {
            return cr == null ? ERR : OK;
        }
        if (!c.reply().resp3() && cr.containsResp3() || cr.type() == CallReply.PROMISE) {
            return ERR; // a promise has no reply to send yet
        }
        c.reply().buffer().writeBytes(cr.proto(), cr.start(), cr.end() - cr.start());
        java.util.List<String> errors = cr.root().errors();
        for (int i = 0, n = errors.size(); i < n; i++) {
            if (ctx.blockedClient instanceof dev.trellis.server.module.ModuleBlockedClient bc && c == bc.replyClient()) {
                bc.deferError(errors.get(i)); // counted when it reaches the client
            } else {
                c.server().stats().errorReply(errors.get(i));
            }
        }
        return OK;
    }

    /** A bulk string copied straight from native memory. */
    static void bulk(Reply r, long ptr, long len) {
        ByteBuf b = r.buffer();
        b.writeByte('$');
        writeLength(b, len);
        b.writeByte('\r').writeByte('\n');
        writeNative(b, ptr, len);
        b.writeByte('\r').writeByte('\n');
    }

    /** A non-negative length in decimal, without allocating (module replies are a hot path). */
    private static void writeLength(ByteBuf b, long v) {
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) {
            digits++;
        }
        int at = b.writerIndex();
        b.ensureWritable(digits);
        for (int i = digits - 1; i >= 0; i--) {
            b.setByte(at + i, (int) ('0' + v % 10));
            v /= 10;
        }
        b.writerIndex(at + digits);
    }

    /** Copies native bytes into the reply; straight into a direct buffer's memory when it has one. */
    static void writeNative(ByteBuf b, long ptr, long len) {
        if (len <= 0) {
            return;
        }
        if (len <= Integer.MAX_VALUE && b.hasMemoryAddress()) {
            int n = (int) len;
            b.ensureWritable(n);
            int at = b.writerIndex();
            java.lang.foreign.MemorySegment.copy(Native.MEM, ptr, Native.MEM, b.memoryAddress() + at, n);
            b.writerIndex(at + n);
        } else {
            b.writeBytes(Native.MEM.asSlice(ptr, len).asByteBuffer());
        }
    }
}
