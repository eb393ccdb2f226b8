package dev.trellis.server.persist.rdb;

import dev.trellis.server.persist.CommandSink;
import java.util.List;

/** Commands of up to 64 items, as Redis's AOF rewrite batches them (AOF_REWRITE_ITEMS_PER_CMD). */
final class AofBatch {
    static final int ITEMS = 64;

    private AofBatch() {
    }

    /** Emits {@code cmd key items...} and clears the batch (nothing when it is empty). */
    static void emit(CommandSink out, byte[] cmd, byte[] key, List<byte[]> items) {
        if (items.isEmpty()) {
            return;
        }
        byte[][] argv = new byte[items.size() + 2][];
        argv[0] = cmd;
        argv[1] = key;
        for (int i = 0; i < items.size(); i++) {
            argv[i + 2] = items.get(i);
        }
        out.command(argv);
        items.clear();
    }
}
