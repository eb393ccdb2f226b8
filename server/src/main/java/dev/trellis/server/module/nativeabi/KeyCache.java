package dev.trellis.server.module.nativeabi;

import dev.trellis.server.module.ModuleKey;

/**
 * The native cache of an open key ({@code TrellisKey} in the shim's header): the words after
 * tag and slot in a key's handle block, which let the shim answer KeyType, ValueLength and
 * read-only StringDMA without an upcall.
 * <pre>
 *  16  uint32 type     REDISMODULE_KEYTYPE_*
 *  20  uint32 cache    1: filled; the OpenKey trampoline stamps it with the thread's epoch
 *  24  uint64 length   ValueLength (strings), or ~0 when ValueLength must ask Java
 *  32  char  *dma      read-only StringDMA copy of a small string, or NULL
 *  40  uint64 epoch    \ written by the shim; every call into Java bumps the thread's epoch,
 *  48  void  *owner    / so the cache only answers until Java runs again
 * </pre>
 * Only keys of a command context opened with a plain mode (READ/WRITE, no NOEXPIRE-style
 * flags) are cached, and a key left open when its command ends loses its cache, so a module
 * that keeps a key across commands still sees fresh lookups.
 */
final class KeyCache {
    private static final long TYPE = 16;
    private static final long CACHE = 20;
    private static final long LENGTH = 24;
    private static final long DMA = 32;
    private static final long EPOCH_OWNER = 48;
    /** TRELLIS_LENGTH_UNKNOWN: ValueLength must ask Java. */
    private static final long UNKNOWN_LENGTH = -1;
    /** Strings up to this size get their read-only DMA copy made at open. */
    static final int DMA_AT_OPEN = 512;
    /** Pooled DMA blocks hold DMA_AT_OPEN bytes plus the NUL. */
    private static final long DMA_BLOCK = DMA_AT_OPEN + 1;
    private static final long[] dmaPool = new long[64];
    private static int dmaPooled;

    private KeyCache() {
    }

    /** Marks a new key handle uncached (blocks are recycled from other handles). */
    static void clear(long addr) {
        Native.putLong(addr + TYPE, 0); // type and cache
        Native.putLong(addr + DMA, 0);
        Native.putLong(addr + EPOCH_OWNER, 0);
    }

    /**
     * Fills the cache of a key just opened for a command, from the value {@code open} found.
     * A small string opened read-only gets its DMA copy now, from a pooled block.
     */
    static void fill(ModuleKey k, Object value) {
        long a = k.address;
        int type = ModuleKey.typeOf(value);
        Native.putInt(a + TYPE, type);
        // Lengths of collections are left to the upcall (sizing some costs more than a call).
        Native.putLong(a + LENGTH, value == null ? 0 : value instanceof byte[] b ? b.length : UNKNOWN_LENGTH);
        long dma = 0;
        if (value instanceof byte[] b && b.length <= DMA_AT_OPEN && !k.writable() && Argv.pooling()) {
            dma = dmaPooled > 0 ? dmaPool[--dmaPooled] : Native.malloc(DMA_BLOCK);
            Native.copy(b, 0, dma, b.length);
            Native.putByte(dma + b.length, (byte) 0);
            k.dmaPtr = dma;
            k.dmaLen = b.length;
            k.dmaPooled = true;
        }
        Native.putLong(a + DMA, dma);
        Native.putInt(a + CACHE, 1);
    }

    /** The native cache must no longer answer (the key outlives its command, or its DMA buffer changes). */
    static void disable(ModuleKey k) {
        if (k.address != 0) {
            Native.putInt(k.address + CACHE, 0);
            Native.putLong(k.address + DMA, 0);
        }
    }

    /** Frees a key's DMA buffer (back to the pool when it came from there). */
    static void freeDma(ModuleKey k) {
        if (k.dmaPtr == 0) {
            return;
        }
        if (k.dmaPooled && dmaPooled < dmaPool.length && Argv.pooling()) {
            dmaPool[dmaPooled++] = k.dmaPtr;
        } else {
            Native.free(k.dmaPtr);
        }
        k.dmaPtr = 0;
        k.dmaLen = 0;
        k.dmaPooled = false;
        disable(k);
    }
}
