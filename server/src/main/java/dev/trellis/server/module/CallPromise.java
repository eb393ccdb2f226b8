package dev.trellis.server.module;

import dev.trellis.server.client.Client;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code RedisModuleAsyncRMCallPromise}: a command run by RM_Call with the 'K' flag that
 * blocked. Its temporary client stays blocked on the server's blocking mechanism; once it is
 * served (or times out) the reply it got goes to the unblock handler the module set, on the
 * server thread. Aborting it ends the block silently: the handler is then never called.
 */
public final class CallPromise {
    /** The face's side of an unblock handler (a C function and its private data, for the native face). */
    public interface Handler {
        /**
         * The command finished: {@code reply} belongs to the handler from now on, with the
         * private data the module set. {@code dbId} is the database the command ended in (the
         * handler's context selects it).
         */
        void unblocked(CallReply reply, long privdata, int dbId);
    }

    private final Module module;
    /** The blocked temporary client; null once the command finished or was aborted. */
    Client client;
    /** The Call had '!': what the command propagates when it is served reaches the stream. */
    final boolean propagate;
    /** The reply will be RESP3 (the Call's '3' or '0' flags). */
    final boolean resp3;
    /** Error replies the command writes, counted if the module sends the reply on. */
    final List<String> errors = new ArrayList<>(0);
    private Handler handler;
    private long privdata;

    CallPromise(Module module, Client client, boolean propagate, boolean resp3) {
        this.module = module;
        this.client = client;
        this.propagate = propagate;
        this.resp3 = resp3;
    }

    public Module module() {
        return module;
    }

    /** RM_CallReplyPromiseSetUnblockHandler: null leaves the command to finish unobserved. */
    public void handler(Handler h, long privdata) {
        this.handler = h;
        this.privdata = privdata;
    }

    Handler handler() {
        return handler;
    }

    public long privdata() {
        return privdata;
    }

    /** Whether the command is still blocked (an abort can still stop it). */
    public boolean pending() {
        return client != null;
    }
}
