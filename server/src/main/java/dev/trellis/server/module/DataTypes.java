package dev.trellis.server.module;

import dev.trellis.server.Server;
import dev.trellis.server.command.Dispatcher;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.persist.rdb.ModuleTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The module data types of one server: registration (CreateDataType's rules), lookup by name,
 * the RDB/DUMP codec of each type, and the deferred free of values no key holds any more.
 *
 * <p>Frees run when the top-level command that let a value go has finished (or on the next
 * turn of the server loop when no command is running), and only if no key took the value
 * back meanwhile: RENAME and MOVE add the value under its new name before deleting the old.
 */
public final class DataTypes implements Dispatcher.Observer {
    private final ModuleHost host;
    private final Map<String, ModuleType> byName = new LinkedHashMap<>();
    private final Map<ModuleType, ModuleTypeRdbCodec> codecs = new LinkedHashMap<>();
    private List<ModuleValue> pending = new ArrayList<>();
    private boolean flushScheduled;
    /** Our dispatcher observer, switched on only while values wait to be freed. */
    private final dev.trellis.server.command.Dispatcher.Hook freesHook;

    public DataTypes(ModuleHost host) {
        this.host = host;
        Server server = host.server();
        freesHook = server.dispatcher().addObserver(this);
        freesHook.enabled(false);
        server.addShutdownHook((save, nosave) -> {
            unregisterCodecs();
            return null;
        });
        host.addListener(new ModuleHost.Listener() {
            @Override
            public void unregistering(Module m) {
                if (m.inOnLoad()) {
                    removeAll(m);
                }
            }
        });
    }

    /** The data types of {@code host}, created on first use. */
    public static DataTypes of(ModuleHost host) {
        return host.service(DataTypes.class, DataTypes::new);
    }

    public ModuleHost host() {
        return host;
    }

    /**
     * CreateDataType: null when called outside OnLoad, with an invalid name or version, or a
     * name another module's type already has (names compare case-sensitively).
     */
    public ModuleType create(Module m, String name, int encver, ModuleType.Callbacks callbacks) {
        if (m == null || !m.inOnLoad() || !ModuleType.validId(name, encver)) {
            return null;
        }
        ModuleType existing = byName.get(name);
        if (existing != null && existing.module() != m) {
            // As in Redis only loaded modules' types are looked at: a module may repeat its own.
            return null;
        }
        ModuleType t = new ModuleType(m, name, encver, callbacks);
        byName.put(name, t);
        ModuleTypeRdbCodec codec = new ModuleTypeRdbCodec(this, t);
        codecs.put(t, codec);
        for (var other : ModuleTypes.all()) {
            if (other instanceof ModuleTypeRdbCodec c && c.stale()) {
                ModuleTypes.unregister(c); // left behind by a server of this process that shut down
            }
        }
        ModuleTypes.register(codec);
        m.addDataType();
        return t;
    }

    /** Removes the types of a module whose load failed (a loaded module's types stay). */
    public void removeAll(Module m) {
        byName.values().removeIf(t -> {
            if (t.module() != m) {
                return false;
            }
            ModuleTypeRdbCodec c = codecs.remove(t);
            if (c != null) {
                ModuleTypes.unregister(c);
            }
            return true;
        });
    }

    /** The type with exactly this name, or null. */
    public ModuleType byName(String name) {
        return byName.get(name);
    }

    public List<ModuleType> all() {
        return List.copyOf(byName.values());
    }

    private void unregisterCodecs() {
        for (ModuleTypeRdbCodec c : codecs.values()) {
            ModuleTypes.unregister(c);
        }
    }

    boolean shutDown() {
        return host.server().shuttingDown();
    }

    // --- deferred frees -----------------------------------------------------------------

    /** A value lost its last key: free it once the running command is over. */
    void releaseLater(ModuleValue v) {
        pending.add(v);
        freesHook.enabled(true);
        Server s = host.server();
        if (s.dispatcher().depth() == 0 && !flushScheduled) {
            flushScheduled = true;
            s.execute(this::flushFrees);
        }
    }

    @Override
    public void executed(dev.trellis.server.client.Client c, dev.trellis.server.command.Command cmd, boolean dirty,
                         long startMs, long micros) {
        if (!pending.isEmpty() && host.server().dispatcher().depth() == 0) {
            flushFrees();
        }
    }

    /** Frees every pending value that is still held by no key. */
    public void flushFrees() {
        flushScheduled = false;
        while (!pending.isEmpty()) {
            List<ModuleValue> now = pending;
            pending = new ArrayList<>();
            for (ModuleValue v : now) {
                try {
                    v.freeIfUnheld();
                } catch (Throwable t) {
                    ServerLog.get().warning("Module type " + v.type().name() + " free failed: " + t);
                }
            }
        }
        freesHook.enabled(false);
    }
}
