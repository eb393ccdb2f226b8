package dev.trellis.server.module;

import dev.trellis.server.acl.Acl;
import dev.trellis.server.blocking.BlockedClient;
import dev.trellis.server.client.Client;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Module authentication (RegisterAuthCallback) for AUTH and HELLO AUTH, as Redis 7.2: the
 * callbacks are tried most recently registered first until one handles the attempt (it
 * authenticated the client, denied it, or blocked it with BlockClientOnAuth); when none does,
 * the user's passwords decide. A blocked attempt runs its command again once the module
 * unblocks it: the auth reply callback is asked first, then the callbacks after the one that
 * blocked (including ones registered meanwhile further down the list).
 */
public final class ModuleAuth implements Acl.ModuleAuthenticator {
    public static final int HANDLED = 0;
    public static final int NOT_HANDLED = 1;

    /** A face's authentication callback: HANDLED or NOT_HANDLED; a denial's message in {@code err[0]}. */
    public interface Callback {
        int attempt(Client c, byte[] username, byte[] password, String[] err);
    }

    private record Registered(Module module, Callback callback) {
    }

    /** A client in the middle of module authentication (Redis's module_auth_ctx and friends). */
    private static final class Attempt {
        /** The callback being tried (the one that blocked, while blocked). */
        Registered at;
        /** A blocked attempt the module unblocked: its auth reply callback runs first. */
        ModuleBlockedClient unblocked;
        /** A module authenticated the client during the current callback. */
        boolean hasResult;
    }

    private final ModuleHost host;
    /** Most recently registered first. */
    private final List<Registered> callbacks = new ArrayList<>();
    private final Map<Client, Attempt> attempts = new IdentityHashMap<>();

    ModuleAuth(ModuleHost host) {
        this.host = host;
        host.server().acl().moduleAuthenticator(this);
        host.server().onClientClose(attempts::remove);
        host.addListener(new ModuleHost.Listener() {
            @Override
            public void unregistering(Module m) {
                callbacks.removeIf(r -> r.module == m);
            }
        });
    }

    /** RegisterAuthCallback. */
    public void register(Module m, Callback cb) {
        callbacks.addFirst(new Registered(m, cb));
    }

    /** Whether {@code c} is being authenticated by a module callback now (or is blocked doing so). */
    public boolean inProgress(Client c) {
        Attempt a = attempts.isEmpty() ? null : attempts.get(c);
        return a != null && a.at != null;
    }

    /** AuthenticateClientWith(ACL)User succeeded for {@code c}: the attempt authenticated it. */
    void authenticated(Client c) {
        Attempt a = attempts.isEmpty() ? null : attempts.get(c);
        if (a != null && a.at != null) {
            a.hasResult = true;
        }
    }

    @Override
    public int authenticate(Client c, byte[] username, byte[] password, String[] err) {
        Attempt a = attempts.get(c);
        if (callbacks.isEmpty() && a == null) {
            return Acl.AUTH_NOT_HANDLED;
        }
        if (a == null) {
            a = new Attempt();
            attempts.put(c, a);
        }
        int result = NOT_HANDLED;
        if (a.unblocked != null) {
            result = replyOfUnblocked(c, a, username, password, err);
        }
        if (result == NOT_HANDLED) {
            result = tryNext(c, a, username, password, err);
        }
        if (c.blockState instanceof BlockedClient) {
            return Acl.AUTH_BLOCKED; // the module answers later; the attempt stays
        }
        attempts.remove(c);
        if (result == NOT_HANDLED) {
            return Acl.AUTH_NOT_HANDLED;
        }
        return a.hasResult && c.authenticated() ? Acl.AUTH_OK : Acl.AUTH_ERR;
    }

    /** Tries the callbacks after the one last tried (all of them on a fresh attempt). */
    private int tryNext(Client c, Attempt a, byte[] username, byte[] password, String[] err) {
        boolean go = a.at == null;
        for (Registered r : List.copyOf(callbacks)) {
            if (!go) {
                go = r == a.at;
                continue;
            }
            a.hasResult = false;
            err[0] = null;
            a.at = r;
            if (r.callback.attempt(c, username, password, err) == HANDLED) {
                return HANDLED;
            }
        }
        return NOT_HANDLED;
    }

    /** The module unblocked a blocked attempt: its auth reply callback decides first. */
    private int replyOfUnblocked(Client c, Attempt a, byte[] username, byte[] password, String[] err) {
        ModuleBlockedClient bc = a.unblocked;
        a.unblocked = null;
        int result = NOT_HANDLED;
        if (!bc.aborted()) {
            a.hasResult = false;
            err[0] = null;
            result = bc.callbacks().authReply(bc, c, username, password, err);
        }
        bc.finishAuth(c);
        return result;
    }

    /**
     * The module unblocked a client blocked on auth: it leaves the blocked state and its
     * command (AUTH or HELLO) runs again at once, where the auth reply callback gets its say.
     */
    void unblocked(Client c, ModuleBlockedClient bc) {
        Attempt a = attempts.get(c);
        if (a == null) {
            bc.finishAuth(c);
            host.server().blocking().release(c);
            return;
        }
        a.unblocked = bc;
        host.server().blocking().release(c);
        byte[][] argv = bc.argv();
        c.argv = argv;
        c.argc = argv.length;
        host.server().dispatcher().call(c, bc.command());
        if (c.transport() != null) {
            c.transport().flushAsync();
        }
    }
}
