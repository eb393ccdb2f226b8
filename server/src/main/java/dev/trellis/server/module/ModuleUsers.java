package dev.trellis.server.module;

import dev.trellis.server.acl.Acl;
import dev.trellis.server.acl.User;
import dev.trellis.server.client.Client;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Clients a module authenticated (AuthenticateClientWith[ACL]User) and their user-changed
 * callbacks: a callback fires once, when the client's user changes again (AUTH, RESET,
 * deauthentication) or it disconnects; a module that unloads has its clients deauthenticated
 * and closed, as Redis's moduleFreeAuthenticatedClients.
 */
public final class ModuleUsers implements ModuleHost.Listener {
    /** A module's wish to hear when a client stops being authenticated the way it made it. */
    public record Callback(Module module, Runnable fire) {
    }

    private final ModuleHost host;
    private final Map<Long, Callback> callbacks = new HashMap<>();
    /** Clients a module authenticated with a user-changed callback (revoked when it unloads). */
    private final Map<Long, Module> authenticatedBy = new HashMap<>();

    private ModuleUsers(ModuleHost host) {
        this.host = host;
        host.addListener(this);
        host.server().acl().onUserChange(this::userChanged);
        host.server().onClientClose(this::userChanged);
    }

    public static ModuleUsers of(ModuleHost host) {
        return host.service(ModuleUsers.class, ModuleUsers::new);
    }

    private Acl acl() {
        return host.server().acl();
    }

    /** Fires and forgets the client's callback, if any. */
    private void userChanged(Client c) {
        authenticatedBy.remove(c.id());
        Callback cb = callbacks.remove(c.id());
        if (cb != null) {
            cb.fire().run();
        }
    }

    /**
     * Authenticates {@code c} as {@code u} for {@code m}: false when the user is off or the
     * client is not a real connection.
     */
    public boolean authenticate(Client c, User u, Module m, Callback cb) {
        if (!u.enabled() || c == null || c.isInternal()) {
            return false;
        }
        userChanged(c);
        c.aclUser(u);
        c.authenticated(true);
        host.auth().authenticated(c);
        if (cb != null) {
            // Only a tracked authentication ends with the module (Redis's auth_module is set
            // with the callback): MODULE UNLOAD closes those clients, not the others.
            authenticatedBy.put(c.id(), m);
            callbacks.put(c.id(), cb);
        }
        return true;
    }

    @Override
    public void unregistering(Module m) {
        List<Long> ids = new ArrayList<>();
        authenticatedBy.forEach((id, mod) -> {
            if (mod == m) {
                ids.add(id);
            }
        });
        for (long id : ids) {
            Client c = host.server().clients().get(id);
            if (c != null) {
                acl().deauthenticateAndClose(c);
            }
            authenticatedBy.remove(id);
            callbacks.remove(id);
        }
    }
}
