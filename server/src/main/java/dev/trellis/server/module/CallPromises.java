package dev.trellis.server.module;

import dev.trellis.server.blocking.BlockedClient;
import dev.trellis.server.client.Client;
import dev.trellis.server.log.ServerLog;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pending {@link CallPromise}s of a server, by their blocked temporary client. Connects
 * them to the blocking mechanism: such a client may block (and block again when its command
 * is run once more), its propagation follows the Call's '!' flag, and when it leaves the
 * blocked state with its reply its promise's handler runs.
 */
public final class CallPromises {
    private final ModuleHost host;
    private final Map<Client, CallPromise> byClient = new IdentityHashMap<>();

    CallPromises(ModuleHost host) {
        this.host = host;
        host.server().blocking().internalClients(c -> host.callAllowsBlock(c) || byClient.containsKey(c), this::unblocked);
    }

    /** The Call's temporary client blocked: it becomes a promise (the client is not reused). */
    CallPromise create(Module module, Client c, boolean propagate, boolean resp3) {
        CallPromise p = new CallPromise(module, c, propagate, resp3);
        byClient.put(c, p);
        c.reply().errorListener(p.errors::add);
        return p;
    }

    /** Whether {@code c} is a promise's client whose commands must not propagate (a Call without '!'). */
    boolean suppressesPropagation(Client c) {
        if (byClient.isEmpty()) {
            return false;
        }
        CallPromise p = byClient.get(c);
        return p != null && !p.propagate;
    }

    /** The blocking mechanism released an internal client with its reply written. */
    private void unblocked(Client c) {
        CallPromise p = byClient.remove(c);
        if (p == null) {
            return;
        }
        p.client = null;
        CallPromise.Handler h = p.handler();
        if (h == null) {
            return; // fire and forget: nobody reads the reply
        }
        long privdata = p.privdata();
        p.handler(null, 0);
        ByteBuf out = c.reply().buffer();
        byte[] bytes = new byte[out.readableBytes()];
        out.getBytes(out.readerIndex(), bytes);
        out.clear();
        if (bytes.length == 0) {
            bytes = "_\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        CallReply reply;
        try {
            reply = CallReply.parse(bytes, p.resp3, List.copyOf(p.errors));
        } catch (RuntimeException e) {
            ServerLog.get().warning("unparsable reply of a blocked RM_Call: " + e);
            reply = CallReply.error("ERR internal error: unparsable reply");
        }
        h.unblocked(reply, privdata, c.db().id());
    }

    /**
     * RM_CallReplyPromiseAbort: ends a still blocked command without a reply (the handler is
     * never called). False when it already finished or was aborted.
     */
    public boolean abort(CallPromise p) {
        Client c = p.client;
        if (c == null || !(c.blockState instanceof BlockedClient)) {
            return false;
        }
        byClient.remove(c);
        p.client = null;
        p.handler(null, 0);
        host.server().blocking().cancel(c);
        return true;
    }

    /** A module is unloading: its blocked Calls are aborted, so no handler of its code runs later. */
    void abortAll(Module m) {
        List<CallPromise> mine = new ArrayList<>();
        for (CallPromise p : byClient.values()) {
            if (p.module() == m) {
                mine.add(p);
            }
        }
        for (CallPromise p : mine) {
            if (!abort(p) && p.client != null) {
                byClient.remove(p.client); // between its unblock and its handler: drop the handler
                p.client = null;
                p.handler(null, 0);
            }
        }
    }

    /** Number of pending promises (tests, INFO). */
    public int pending() {
        return byClient.size();
    }
}
