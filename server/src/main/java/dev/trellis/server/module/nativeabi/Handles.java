package dev.trellis.server.module.nativeabi;

import java.util.Arrays;

/**
 * The handle table: maps the opaque pointers modules hold ({@code RedisModuleCtx*},
 * {@code RedisModuleKey*}, {@code RedisModuleCallReply*}, ...) back to Java objects.
 *
 * <p>Each handle is a 16-byte native block ({@code TrellisHandle} in the shim's header):
 * word 0 is a tag naming the handle's kind (for contexts, the address of GetApi, which
 * {@code RedisModule_Init} reads), word 1 the slot of the Java object here. A lookup checks the
 * tag, so a module passing the wrong kind of handle gets an API failure, not a Java exception.
 *
 * <p>Blocks and slots are recycled. Used from the server thread (and module threads holding
 * the module GIL), so it is not synchronized.
 */
public final class Handles {
    public static final long TAG_KEY = 0x5452454c4c4b4559L;       // "TRELLKEY"
    public static final long TAG_CALL_REPLY = 0x5452454c4c43524cL; // "TRELLCRL"
    public static final long TAG_COMMAND = 0x5452454c4c434d44L;    // "TRELLCMD"
    public static final long TAG_GENERIC = 0x5452454c4c47454eL;    // "TRELLGEN"
    private static final long DEAD = 0xdeadL;
    /** Bytes of a handle block ({@code TRELLIS_HANDLE_SIZE}). */
    static final long SIZE = 64;

    private Object[] objects = new Object[256];
    private int[] freeSlots = new int[256];
    private int freeCount;
    private int nextSlot = 1; // slot 0 is never used: a zeroed block is not a handle
    private long[] blockPool = new long[64];
    private int pooled;
    private int live;

    /** Allocates a handle for {@code o}; returns the address modules see. */
    public long create(Object o, long tag) {
        int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            slot = nextSlot++;
            if (slot == objects.length) {
                objects = Arrays.copyOf(objects, slot * 2);
            }
        }
        objects[slot] = o;
        long block = pooled > 0 ? blockPool[--pooled] : Native.malloc(SIZE);
        Native.putLong(block, tag);
        Native.putLong(block + 8, slot);
        live++;
        return block;
    }

    /** The object behind {@code addr} if it is a live handle with {@code tag}, else null. */
    public Object get(long addr, long tag) {
        if (addr == 0 || Native.getLong(addr) != tag) {
            return null;
        }
        long slot = Native.getLong(addr + 8);
        if (slot <= 0 || slot >= nextSlot) {
            return null;
        }
        return objects[(int) slot];
    }

    /**
     * Takes a handle out of service without freeing it: the tag is cleared, so the block stops
     * resolving, but block and slot stay bound to their object for {@link #resume}.
     */
    public void suspend(long addr) {
        Native.putLong(addr, DEAD);
        live--;
    }

    /** Puts a suspended handle back in service with {@code tag}. */
    public void resume(long addr, long tag) {
        Native.putLong(addr, tag);
        live++;
    }

    /** Frees the handle (its block is recycled; the tag is cleared so stale uses fail). */
    public void release(long addr) {
        if (addr == 0) {
            return;
        }
        long slot = Native.getLong(addr + 8);
        if (slot > 0 && slot < nextSlot && objects[(int) slot] != null) {
            objects[(int) slot] = null;
            if (freeCount == freeSlots.length) {
                freeSlots = Arrays.copyOf(freeSlots, freeCount * 2);
            }
            freeSlots[freeCount++] = (int) slot;
            live--;
        }
        Native.putLong(addr, DEAD);
        Native.putLong(addr + 8, 0);
        if (pooled < blockPool.length) {
            blockPool[pooled++] = addr;
        } else {
            Native.free(addr);
        }
    }

    /** Number of live handles (tests, leak checks). */
    public int live() {
        return live;
    }
}
