package dev.trellis.server.scripting;

/**
 * The 48-bit linear congruential generator of POSIX lrand48, which Redis uses for
 * math.random so scripts see the same sequence for the same seed on every platform.
 */
final class Lrand48 {
    static final int MAX = Integer.MAX_VALUE;
    private static final long MULT = 0x5DEECE66DL;
    private static final long MASK = (1L << 48) - 1;
    private long x = 0x1234ABCD330EL;

    void seed(int seed) {
        x = (((long) seed) << 16 | 0x330E) & MASK;
    }

    int next() {
        x = (MULT * x + 0xB) & MASK;
        return (int) (x >>> 17);
    }
}
