package dev.trellis.server.module;

import dev.trellis.server.command.Command;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A loaded (or loading) module: what {@code RedisModule_Init} declared, where it came from, and
 * everything it registered, so that unloading (or a failed load) can remove all of it.
 */
public final class Module {
    private final ModuleHost host;
    private final String name;
    private final int version;
    private final int apiVersion;
    private String path;
    private List<byte[]> args = List.of();
    private int options;
    /** True while its OnLoad runs: registration APIs only work then. */
    boolean onLoad = true;
    /** Top-level commands it created, in creation order. */
    final List<Command> commands = new ArrayList<>();
    /** API names it asked GetApi for that Trellis does not provide. */
    final Set<String> missingApis = new TreeSet<>();
    /** Functions it exported with ExportSharedAPI, by name. */
    final Map<String, Long> exportedApis = new LinkedHashMap<>();
    final Set<Module> usedBy = new LinkedHashSet<>();
    final Set<Module> using = new LinkedHashSet<>();
    /** ACL categories it added (AddACLCategory). */
    final List<String> aclCategoriesAdded = new ArrayList<>();
    /** Data types it registered; a module with types cannot be unloaded. */
    int dataTypes;
    /** Clients it holds blocked; it cannot be unloaded meanwhile. */
    int blockedClients;
    /** Timers it has pending; it cannot be unloaded meanwhile. */
    int timers;
    /** The face that loaded it (native library state, Java class loader). */
    Object face;

    public Module(ModuleHost host, String name, int version, int apiVersion) {
        this.host = host;
        this.name = name;
        this.version = version;
        this.apiVersion = apiVersion;
    }

    public ModuleHost host() {
        return host;
    }

    public String name() {
        return name;
    }

    public int version() {
        return version;
    }

    public int apiVersion() {
        return apiVersion;
    }

    public String path() {
        return path;
    }

    public List<byte[]> args() {
        return args;
    }

    void loadedFrom(String path, List<byte[]> args) {
        this.path = path;
        this.args = List.copyOf(args);
    }

    public int options() {
        return options;
    }

    public void options(int o) {
        options = o;
    }

    public boolean inOnLoad() {
        return onLoad;
    }

    public List<Command> commands() {
        return commands;
    }

    public Set<String> missingApis() {
        return missingApis;
    }

    public Object face() {
        return face;
    }

    public void face(Object f) {
        face = f;
    }

    public Set<Module> usedBy() {
        return usedBy;
    }

    public Set<Module> using() {
        return using;
    }

    public Map<String, Long> exportedApis() {
        return exportedApis;
    }

    public int dataTypes() {
        return dataTypes;
    }

    public void addDataType() {
        dataTypes++;
    }

    public void blockedClients(int delta) {
        blockedClients += delta;
    }

    public void timers(int delta) {
        timers += delta;
    }

    @Override
    public String toString() {
        return "module " + name;
    }
}
