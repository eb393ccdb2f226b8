package dev.trellis.server.module.nativeabi;

import dev.trellis.server.module.ModuleHost;

/**
 * For the few API functions that get no context (memory ratio, context-less logging): the host
 * whose module code is running on this thread, as the face last entered it.
 */
final class HostTracker {
    private static volatile ModuleHost last;

    private HostTracker() {
    }

    static void entered(ModuleHost h) {
        if (h != null && last != h) { // a volatile write per module call costs more than this read
            last = h;
        }
    }

    static ModuleHost any() {
        return last;
    }
}
