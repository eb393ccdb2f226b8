package dev.trellis.server.module;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.module.nativeabi.NativeModules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The module runtime of one server: the registry of loaded modules, loading and unloading
 * (with every failure leaving the server as it was), and the services module code uses
 * (temporary clients for Call and OnLoad, shared APIs).
 *
 * <p>Runs on the server thread.
 */
public final class ModuleHost {
    private static final Map<Server, ModuleHost> HOSTS = Collections.synchronizedMap(new WeakHashMap<>());

    private final Server server;
    /** Loaded modules by lowercase name (Redis compares module names case-insensitively). */
    private final Map<String, Module> modules = new LinkedHashMap<>();
    private final ArrayDeque<Client> tempClients = new ArrayDeque<>();
    /** Configs given with MODULE LOADEX CONFIG name value, consumed by the loading module. */
    private final Map<String, String> pendingConfigs = new LinkedHashMap<>();
    private final ModuleCalls calls;
    private final CallPromises promises;
    private final ModuleAuth auth;

    public ModuleHost(Server server) {
        this.server = server;
        this.calls = new ModuleCalls(this);
        this.promises = new CallPromises(this);
        this.auth = new ModuleAuth(this);
        HOSTS.put(server, this);
        // Module commands are never propagated as called: modules replicate explicitly, and
        // what they run with Call reaches the stream only with the '!' flag (also when a
        // blocked Call's command is served later).
        server.propagation().exclude((c, cmd) -> cmd.has(dev.trellis.server.command.CommandFlags.MODULE)
                || callDepth > 0 && callWithoutPropagation(c) || promises.suppressesPropagation(c));
        // Module allocations count in used_memory (and so towards maxmemory).
        server.stats().memory.addNativeSource(NativeModules::moduleUsedMemory);
        // The allocator's counter is the process's: servers without a native module of their
        // own (test servers share a JVM) leave it out of their eviction decisions.
        server.eviction().countTowardsMaxmemory(() -> hasNativeModule() ? NativeModules.moduleUsedMemory() : 0);
        // CONFIG REWRITE writes one loadmodule line per loaded module (path and arguments), so
        // a restart loads the same set.
        server.config().loadedModuleLines = () -> {
            List<String> lines = new ArrayList<>();
            for (Module m : modules()) {
                StringBuilder sb = new StringBuilder(m.path());
                for (byte[] a : m.args()) {
                    sb.append(' ').append(new String(a, java.nio.charset.StandardCharsets.UTF_8));
                }
                lines.add(sb.toString());
            }
            return lines;
        };
        server.info().extend("modules", out -> {
            for (String line : infoLines()) {
                out.line(line);
            }
        });
    }

    /** The module host of {@code server}, or null if it has none. */
    public static ModuleHost of(Server server) {
        return HOSTS.get(server);
    }

    public Server server() {
        return server;
    }

    public ModuleCalls calls() {
        return calls;
    }

    /** Module authentication callbacks (AUTH, HELLO AUTH). */
    public ModuleAuth auth() {
        return auth;
    }

    /** Blocked RM_Calls ('K' flag) waiting for their reply. */
    public CallPromises promises() {
        return promises;
    }

    // --- services of the API areas ------------------------------------------------------

    private final Map<Class<?>, Object> services = new java.util.HashMap<>();
    private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** What an API area hears about modules coming and going. */
    public interface Listener {
        /** A module finished loading. */
        default void loaded(Module m) {
        }

        /**
         * A module's OnLoad succeeded: returns null, or the reason (logged) to unload it again
         * (configs registered but never loaded).
         */
        default String loadCheck(Module m) {
            return null;
        }

        /** A module's registrations are being removed (its load failed, or it is unloading). */
        default void unregistering(Module m) {
        }

        /** A module was unloaded. */
        default void unloaded(Module m) {
        }
    }

    /** The per-server state of an API area (timers, data types, events...), created on first use. */
    public <T> T service(Class<T> type, java.util.function.Function<ModuleHost, T> factory) {
        Object s = services.get(type);
        if (s == null) {
            s = factory.apply(this);
            services.put(type, s);
        }
        return type.cast(s);
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    // --- registry -----------------------------------------------------------------------

    public Collection<Module> modules() {
        return Collections.unmodifiableCollection(modules.values());
    }

    private boolean hasNativeModule() {
        for (Module m : modules.values()) {
            if (NativeModules.isNative(m)) {
                return true;
            }
        }
        return false;
    }

    public Module get(String name) {
        return modules.get(name.toLowerCase(Locale.ROOT));
    }

    public boolean nameBusy(String name) {
        return modules.containsKey(name.toLowerCase(Locale.ROOT));
    }

    // --- loading ------------------------------------------------------------------------

    /** Why a load or unload failed; the message is for the server log (already logged). */
    public static final class ModuleException extends Exception {
        public ModuleException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Loads a module (MODULE LOAD, loadmodule). On failure everything the module registered is
     * removed, the library closed, the reason logged, and an exception thrown.
     */
    public Module load(String path, List<byte[]> args) throws ModuleException {
        return load(path, args, false);
    }

    /** MODULE LOADEX: {@code configs} are applied by the module's LoadConfigs. */
    public Module loadEx(String path, Map<String, String> configs, List<byte[]> args) throws ModuleException {
        pendingConfigs.clear();
        pendingConfigs.putAll(configs);
        try {
            return load(path, args, true);
        } finally {
            pendingConfigs.clear();
        }
    }

    private Module load(String path, List<byte[]> args, boolean loadex) throws ModuleException {
        Module m = NativeModules.load(this, path, args);
        m.loadedFrom(path, args);
        m.onLoad = false;
        modules.put(m.name().toLowerCase(Locale.ROOT), m);
        ServerLog.get().notice("Module '" + m.name() + "' loaded from " + path);
        if (!m.missingApis.isEmpty()) {
            ServerLog.get().notice("Module '" + m.name() + "' asked for " + m.missingApis.size()
                    + " API functions Trellis does not implement yet: " + String.join(" ", m.missingApis));
        }
        String failure = null;
        for (Listener l : listeners) {
            failure = l.loadCheck(m);
            if (failure != null) {
                break;
            }
        }
        if (failure == null && loadex && !pendingConfigs.isEmpty()) {
            failure = "Loadex configurations were not applied, likely due to invalid arguments. Unloading the module.";
        }
        if (failure != null) {
            ServerLog.get().warning(failure);
            try {
                unload(m.name());
            } catch (ModuleException e) {
                // already logged; the load fails either way
            }
            throw new ModuleException(failure);
        }
        // Users' rules now cover the module's commands ("+@write" allows a new write command).
        server.acl().commandsChanged();
        for (Listener l : listeners) {
            l.loaded(m);
        }
        return m;
    }

    /**
     * Called by a face when a module's registration ends in failure (or after OnUnload):
     * removes its commands and what else it registered.
     */
    public void unregisterAll(Module m) {
        for (Listener l : listeners) {
            l.unregistering(m);
        }
        for (Command c : m.commands) {
            server.commands().remove(c.name());
        }
        m.commands.clear();
        for (Module used : m.using) {
            used.usedBy.remove(m);
        }
        m.using.clear();
        m.exportedApis.clear();
        // Categories added by a module whose load failed are removed again (Redis does so).
        if (m.onLoad) {
            server.acl().categories().removeAll(m.aclCategoriesAdded);
        }
    }

    /** MODULE UNLOAD: Redis's checks, then OnUnload (which may refuse), then removal. */
    public void unload(String name) throws ModuleException {
        Module m = get(name);
        if (m == null) {
            throw new ModuleException("no such module with that name");
        }
        if (m.dataTypes > 0) {
            throw new ModuleException("the module exports one or more module-side data types, can't unload");
        }
        if (!m.usedBy.isEmpty()) {
            throw new ModuleException("the module exports APIs used by other modules. Please unload them first and try again");
        }
        if (m.blockedClients > 0) {
            throw new ModuleException("the module has blocked clients. Please wait for them to be unblocked and try again");
        }
        if (m.timers > 0) {
            throw new ModuleException("the module holds timer that is not fired. Please stop the timer or wait until it fires.");
        }
        if (!NativeModules.callOnUnload(this, m)) {
            ServerLog.get().warning("Module " + name + " OnUnload failed.  Unload canceled.");
            throw new ModuleException(null);
        }
        promises.abortAll(m); // no handler of the module's code may run once it is gone
        unregisterAll(m);
        server.acl().commandsChanged();
        NativeModules.close(m);
        ServerLog.get().notice("Module " + m.name() + " unloaded");
        modules.remove(m.name().toLowerCase(Locale.ROOT));
        for (Listener l : listeners) {
            l.unloaded(m);
        }
    }

    // --- shared APIs --------------------------------------------------------------------

    /** ExportSharedAPI: false if the name is taken. */
    public boolean exportApi(Module m, String name, long func) {
        for (Module o : modules.values()) {
            if (o.exportedApis.containsKey(name)) {
                return false;
            }
        }
        if (m.exportedApis.containsKey(name)) {
            return false;
        }
        m.exportedApis.put(name, func);
        return true;
    }

    /** GetSharedAPI: the function or 0; records that {@code user} now depends on its exporter. */
    public long sharedApi(Module user, String name) {
        List<Module> all = new ArrayList<>(modules.values());
        if (user != null && !all.contains(user)) {
            all.add(user);
        }
        for (Module o : all) {
            Long f = o.exportedApis.get(name);
            if (f != null) {
                if (user != null && user != o) {
                    o.usedBy.add(user);
                    user.using.add(o);
                }
                return f;
            }
        }
        return 0;
    }

    // --- temporary clients --------------------------------------------------------------

    /** A client for module code that has none of its own (OnLoad, Call); return it after use. */
    public Client tempClient() {
        Client c = tempClients.poll();
        if (c == null) {
            c = server.newInternalClient();
        }
        c.select(0);
        c.reply().protocol(2);
        c.reply().buffer().clear();
        return c;
    }

    public void releaseTempClient(Client c) {
        c.argv = null;
        c.argc = 0;
        c.cmd = null;
        c.propagateArgv = null;
        c.reply().buffer().clear();
        if (c.reply().buffer().capacity() > 64 * 1024) {
            c.reply().buffer().capacity(256);
        }
        if (tempClients.size() < 32) {
            tempClients.push(c);
        }
    }

    // --- ACL categories -----------------------------------------------------------------

    /** The canonical name of an ACL category (built-in or added by a module), or null. */
    public String aclCategory(String name) {
        return server.acl().categories().canonical(name);
    }

    /** AddACLCategory: 0, or the errno (EINVAL bad name, EBUSY taken, ENOMEM no room). */
    public int addAclCategory(Module m, String name) {
        if (name.isEmpty()) {
            return 22;
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (!(Character.isLetterOrDigit(ch) && ch < 128) && ch != '_' && ch != '-') {
                ServerLog.get().warning("Invalid character " + ch + " in Module resource name " + name + ".");
                return 22;
            }
        }
        if (aclCategory(name) != null) {
            return 16;
        }
        if (server.acl().categories().full()) {
            return 12;
        }
        server.acl().categories().add(name);
        m.aclCategoriesAdded.add(name);
        return 0;
    }

    // --- propagation --------------------------------------------------------------------

    /**
     * Temporary clients running a Call, innermost last, and whether that Call propagates ('!'):
     * a stack, since Calls nest strictly (Calls run per command, no map lookup).
     */
    private Client[] callClients = new Client[8];
    private boolean[] callPropagates = new boolean[8];
    private boolean[] callBlocks = new boolean[8];
    private int callDepth;
    /** False inside a Call without '!': nested module code may not propagate either. */
    private boolean replicationAllowed = true;

    /**
     * RedisModule_Replicate / ReplicateVerbatim: {@code argv} joins the propagation of the
     * running execution unit (wrapped with the others in MULTI/EXEC), unless a Call without
     * '!' is running. Counts as a change, as in Redis.
     */
    public void replicate(ModuleContext ctx, byte[][] argv) {
        if (replicationAllowed) {
            Client c = ctx.client();
            server.propagation().propagate(c == null ? 0 : c.db().id(), argv);
        }
        server.stats().dirty++;
    }

    /** Marks {@code c} as running a Call; returns the previous replication state to restore. */
    boolean enterCall(Client c, boolean replicate, boolean allowBlock) {
        boolean prev = replicationAllowed;
        replicationAllowed = replicate && prev;
        if (callDepth == callClients.length) {
            callClients = java.util.Arrays.copyOf(callClients, callDepth * 2);
            callPropagates = java.util.Arrays.copyOf(callPropagates, callDepth * 2);
            callBlocks = java.util.Arrays.copyOf(callBlocks, callDepth * 2);
        }
        callClients[callDepth] = c;
        callBlocks[callDepth] = allowBlock;
        callPropagates[callDepth++] = replicationAllowed;
        return prev;
    }

    /** The index of {@code c} in the Call stack, or -1. */
    private int callIndex(Client c) {
        for (int i = callDepth - 1; i >= 0; i--) {
            if (callClients[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code c} is running a command for a module's RM_Call. */
    public boolean inCall(Client c) {
        return callDepth > 0 && callIndex(c) >= 0;
    }

    /**
     * Whether {@code c} runs a Call whose command may not block (no 'K' flag): Redis's
     * DENY_BLOCKING client, whose blocking commands answer as if they timed out.
     */
    public boolean callDeniesBlocking(Client c) {
        if (callDepth == 0) {
            return false;
        }
        int i = callIndex(c);
        return i >= 0 && !callBlocks[i];
    }

    /** Whether {@code c} runs a Call with 'K': its command may block (the Call then returns a promise). */
    boolean callAllowsBlock(Client c) {
        if (callDepth == 0) {
            return false;
        }
        int i = callIndex(c);
        return i >= 0 && callBlocks[i];
    }

    /** {@code c} runs a Call whose commands must not propagate (no '!'). */
    private boolean callWithoutPropagation(Client c) {
        int i = callIndex(c);
        return i >= 0 && !callPropagates[i];
    }

    void exitCall(Client c, boolean prev) {
        int i = callIndex(c);
        if (i >= 0) {
            System.arraycopy(callClients, i + 1, callClients, i, callDepth - i - 1);
            System.arraycopy(callPropagates, i + 1, callPropagates, i, callDepth - i - 1);
            System.arraycopy(callBlocks, i + 1, callBlocks, i, callDepth - i - 1);
            callClients[--callDepth] = null;
        }
        replicationAllowed = prev;
    }

    // --- configs (LOADEX) ---------------------------------------------------------------

    public Map<String, String> pendingConfigs() {
        return pendingConfigs;
    }

    // --- memory -------------------------------------------------------------------------

    /** Bytes in use as maxmemory sees them (used_memory, which includes module allocations). */
    public long usedMemory() {
        return server.stats().memory.used();
    }

    public float usedMemoryRatio() {
        long max = server.config().maxmemory;
        return max <= 0 ? 0f : (float) usedMemory() / max;
    }

    public boolean overMemoryLimit() {
        long max = server.config().maxmemory;
        return max > 0 && usedMemory() > max;
    }

    // --- startup ------------------------------------------------------------------------

    private boolean startingUp;

    /** True while the modules of the configuration are being loaded. */
    public boolean startingUp() {
        return startingUp;
    }

    /**
     * Loads the configuration's loadmodule entries (a server startup task). A module that
     * fails to load stops the server, as in Redis: clients may rely on its commands.
     */
    public void loadConfiguredModules() {
        startingUp = true;
        try {
            for (String[] entry : server.config().loadModules) {
                List<byte[]> args = new ArrayList<>();
                for (int i = 1; i < entry.length; i++) {
                    args.add(entry[i].getBytes(StandardCharsets.UTF_8));
                }
                try {
                    load(entry[0], args);
                } catch (ModuleException e) {
                    ServerLog.get().warning("Can't load module from " + entry[0] + ": server aborting");
                    throw new IllegalStateException("Can't load module from " + entry[0], e);
                }
            }
            if (!server.config().moduleConfigQueue.isEmpty()) {
                ServerLog.get().warning("Module Configuration detected without loadmodule directive or no ApplyConfig call: aborting");
                throw new IllegalStateException("module configuration without its module");
            }
        } finally {
            startingUp = false;
        }
    }

    // --- reporting ----------------------------------------------------------------------

    /** MODULE LIST and HELLO: name, ver, path, args (and what it asked for that we lack). */
    public void describe(Client c) {
        c.reply().array(modules.size());
        for (Module m : modules.values()) {
            boolean missing = !m.missingApis.isEmpty();
            c.reply().map(missing ? 5 : 4);
            c.reply().bulk("name");
            c.reply().bulk(m.name());
            c.reply().bulk("ver");
            c.reply().integer(m.version());
            c.reply().bulk("path");
            c.reply().bulk(m.path());
            c.reply().bulk("args");
            c.reply().array(m.args().size());
            for (byte[] a : m.args()) {
                c.reply().bulk(a);
            }
            if (missing) {
                c.reply().bulk("missing-apis");
                c.reply().array(m.missingApis.size());
                for (String s : m.missingApis) {
                    c.reply().bulk(s);
                }
            }
        }
    }

    /** The module lines of INFO modules (Redis's fields, then how many APIs it lacks). */
    public List<String> infoLines() {
        List<String> out = new ArrayList<>();
        for (Module m : modules.values()) {
            StringBuilder sb = new StringBuilder();
            sb.append("module:name=").append(m.name()).append(",ver=").append(m.version())
                    .append(",api=").append(m.apiVersion()).append(",filters=0,usedby=")
                    .append(names(m.usedBy)).append(",using=").append(names(m.using))
                    .append(",options=").append(options(m));
            if (!m.missingApis.isEmpty()) {
                sb.append(",missing_apis=").append(m.missingApis.size());
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static String names(Collection<Module> ms) {
        StringBuilder sb = new StringBuilder("[");
        for (Module m : ms) {
            if (sb.length() > 1) {
                sb.append('|');
            }
            sb.append(m.name());
        }
        return sb.append(']').toString();
    }

    private static String options(Module m) {
        List<String> o = new ArrayList<>();
        if ((m.options() & 1) != 0) {
            o.add("handle-io-errors");
        }
        if ((m.options() & 4) != 0) {
            o.add("handle-repl-async-load");
        }
        if ((m.options() & 2) != 0) {
            o.add("no-implicit-signal-modified");
        }
        return "[" + String.join("|", o) + "]";
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
