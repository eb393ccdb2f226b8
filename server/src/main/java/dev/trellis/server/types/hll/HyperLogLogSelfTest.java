package dev.trellis.server.types.hll;

import java.util.Random;

/** The checks behind PFSELFTEST, kept next to the representation they exercise. */
public final class HyperLogLogSelfTest {
    private HyperLogLogSelfTest() {
    }

    /**
     * Runs the self test ({@code cycles} register rounds, estimates up to {@code maxElements}
     * distinct elements); returns null on success, else the TESTFAILED error text.
     */
    public static String run(long sparseMaxBytes, int cycles, long maxElements, Random rnd) {
        byte[] dense = HyperLogLog.emptyDense();
        int[] expected = new int[HyperLogLog.REGISTERS];
        for (int j = 0; j < cycles; j++) {
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                int r = rnd.nextInt() & HyperLogLog.REGISTER_MAX;
                expected[i] = r;
                HyperLogLog.denseSet(dense, i, r);
            }
            for (int i = 0; i < HyperLogLog.REGISTERS; i++) {
                int v = HyperLogLog.denseGet(dense, i);
                if (v != expected[i]) {
                    return "TESTFAILED Register " + i + " should be " + expected[i] + " but is " + v;
                }
            }
        }
        HyperLogLog d = HyperLogLog.of(HyperLogLog.emptyDense());
        HyperLogLog s = HyperLogLog.createSparse();
        double relerr = 1.04 / Math.sqrt(HyperLogLog.REGISTERS);
        long checkpoint = 1;
        long seed = rnd.nextLong();
        byte[] ele = new byte[8];
        for (long j = 1; j <= maxElements; j++) {
            long v = j ^ seed;
            for (int k = 0; k < 8; k++) {
                ele[k] = (byte) (v >>> (8 * k));
            }
            d.add(ele, sparseMaxBytes);
            s.add(ele, sparseMaxBytes);
            if (j == checkpoint) {
                if (j < sparseMaxBytes / 2 && s.encoding() != HyperLogLog.SPARSE) {
                    return "TESTFAILED sparse encoding not used";
                }
                long count = d.count(null);
                if (count != s.count(null)) {
                    return "TESTFAILED dense/sparse disagree";
                }
                long abserr = Math.abs(checkpoint - count);
                long maxerr = (long) Math.ceil(relerr * 6 * checkpoint);
                if (j == 10) {
                    maxerr = 1;
                }
                if (abserr > maxerr) {
                    return "TESTFAILED Too big error. card:" + checkpoint + " abserr:" + abserr;
                }
                checkpoint *= 10;
            }
        }
        return null;
    }
}
