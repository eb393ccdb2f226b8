package dev.trellis.server.module;

import dev.trellis.server.client.Client;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code RedisModuleCtx}: one invocation of module code (a command, OnLoad/OnUnload, a keys
 * request, a Call reply handler...). It knows the module, the client the code acts for,
 * what must be released when the invocation ends (auto memory, pool allocations), the
 * reply being built (postponed lengths) and the commands to propagate.
 *
 * <p>Contexts are recycled by the face that creates them; {@link #reset} clears everything.
 */
public final class ModuleContext {
    // Context kinds and states (the REDISMODULE_CTX_* bits of Redis's module.c).
    public static final int AUTO_MEMORY = 1 << 0;
    public static final int KEYS_POS_REQUEST = 1 << 1;
    public static final int BLOCKED_REPLY = 1 << 2;
    public static final int BLOCKED_TIMEOUT = 1 << 3;
    public static final int THREAD_SAFE = 1 << 4;
    public static final int BLOCKED_DISCONNECTED = 1 << 5;
    public static final int TEMP_CLIENT = 1 << 6;
    public static final int NEW_CLIENT = 1 << 7;
    public static final int CHANNELS_POS_REQUEST = 1 << 8;
    public static final int COMMAND = 1 << 9;

    /** Kinds of objects auto memory releases. */
    public enum AutoKind { STRING, KEY, REPLY, DICT, INFO }

    private ModuleHost host;
    private Module module;
    private Client client;
    public int flags;
    /** Auto-memory entries: kinds and handles, released in order when the context ends. */
    private AutoKind[] autoKinds = new AutoKind[16];
    private long[] autoHandles = new long[16];
    private int autoCount;
    /** Postponed-length reply state, created on first use. */
    private PostponedReplies postponed;
    /** Key positions reported by a getkeys-api call (positions and flags). */
    private int[] keyPositions = new int[8];
    private int[] keyFlags = new int[8];
    private int keyCount;
    /** Open keys of this invocation (for write-back of DMA buffers). */
    private final List<ModuleKey> openKeys = new ArrayList<>(2);
    /** API names GetApi could not serve while this context ran OnLoad (before Init). */
    private List<String> missingDuringLoad;
    /** Native face: the RedisModuleCtx* address and pool-allocator blocks. */
    public long address;
    public long poolHead;
    /** Native face: the command's argument vector, its Java strings and count (0 when none). */
    public long argv;
    public byte[][] argvBytes;
    public int argc;
    /** Native face: the handle block this context keeps while pooled (its address when open). */
    public long handleBlock;
    /** The user set with SetContextUser, or null. */
    public dev.trellis.server.acl.User user;
    /** Blocked-client callbacks and thread-safe contexts: the handle (a ModuleBlockedClient). */
    public Object blockedClient;
    /** Blocked-client callbacks: the private data and the ready key (a native string, or 0). */
    public long blockedPrivdata;
    public long blockedReadyKey;
    /** Yield: when it may next let clients in (ms; 0 until the first call). */
    public long nextYieldMs;

    public ModuleContext init(ModuleHost host, Module module, Client client, int flags) {
        this.host = host;
        this.module = module;
        this.client = client;
        this.flags = flags;
        return this;
    }

    /** Clears the context for reuse (the face released everything first). */
    public void reset() {
        host = null;
        module = null;
        client = null;
        flags = 0;
        autoCount = 0;
        if (postponed != null) {
            postponed.clear();
        }
        keyCount = 0;
        openKeys.clear();
        missingDuringLoad = null;
        poolHead = 0;
        argv = 0;
        argvBytes = null;
        argc = 0;
        user = null;
        blockedClient = null;
        blockedPrivdata = 0;
        blockedReadyKey = 0;
        nextYieldMs = 0;
    }

    public ModuleHost host() {
        return host;
    }

    public Module module() {
        return module;
    }

    public void module(Module m) {
        module = m;
    }

    public Client client() {
        return client;
    }

    public void client(Client c) {
        client = c;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    // --- auto memory --------------------------------------------------------------------

    public void autoMemoryAdd(AutoKind kind, long handle) {
        if ((flags & AUTO_MEMORY) == 0) {
            return;
        }
        if (autoCount == autoHandles.length) {
            autoHandles = java.util.Arrays.copyOf(autoHandles, autoCount * 2);
            autoKinds = java.util.Arrays.copyOf(autoKinds, autoCount * 2);
        }
        autoKinds[autoCount] = kind;
        autoHandles[autoCount++] = handle;
    }

    /** The module freed {@code handle} itself: forget it (searching from the newest). */
    public boolean autoMemoryFreed(AutoKind kind, long handle) {
        if ((flags & AUTO_MEMORY) == 0) {
            return false;
        }
        for (int i = autoCount - 1; i >= 0; i--) {
            if (autoHandles[i] == handle && autoKinds[i] == kind) {
                // Keep order: shift the tail down.
                System.arraycopy(autoHandles, i + 1, autoHandles, i, autoCount - i - 1);
                System.arraycopy(autoKinds, i + 1, autoKinds, i, autoCount - i - 1);
                autoCount--;
                return true;
            }
        }
        return false;
    }

    public int autoCount() {
        return autoCount;
    }

    public AutoKind autoKind(int i) {
        return autoKinds[i];
    }

    public long autoHandle(int i) {
        return autoHandles[i];
    }

    /** Empties the list (after the face released the entries). */
    public void autoMemoryClear() {
        autoCount = 0;
    }

    // --- replies ------------------------------------------------------------------------

    public PostponedReplies postponed() {
        if (postponed == null) {
            postponed = new PostponedReplies();
        }
        return postponed;
    }

    public boolean hasPostponed() {
        return postponed != null && postponed.pending() > 0;
    }

    // --- keys requests ------------------------------------------------------------------

    public void addKeyPosition(int pos, int flags) {
        if (keyCount == keyPositions.length) {
            keyPositions = java.util.Arrays.copyOf(keyPositions, keyCount * 2);
            keyFlags = java.util.Arrays.copyOf(keyFlags, keyCount * 2);
        }
        keyPositions[keyCount] = pos;
        keyFlags[keyCount++] = flags;
    }

    public int[] keyPositions() {
        return java.util.Arrays.copyOf(keyPositions, keyCount);
    }

    public int[] keyFlags() {
        return java.util.Arrays.copyOf(keyFlags, keyCount);
    }

    // --- keys ---------------------------------------------------------------------------

    public List<ModuleKey> openKeys() {
        return openKeys;
    }

    // --- loading ------------------------------------------------------------------------

    public void missingApi(String name) {
        if (module != null) {
            module.missingApis.add(name);
        } else {
            if (missingDuringLoad == null) {
                missingDuringLoad = new ArrayList<>();
            }
            missingDuringLoad.add(name);
        }
    }

    public List<String> missingDuringLoad() {
        return missingDuringLoad == null ? List.of() : missingDuringLoad;
    }
}
