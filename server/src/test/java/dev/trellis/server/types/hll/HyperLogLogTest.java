package dev.trellis.server.types.hll;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The HyperLogLog representation on its own: self test, sparse/dense agreement, layout. */
class HyperLogLogTest {
    @Test
    void selfTestPasses() {
        assertThat(HyperLogLogSelfTest.run(3000, 5, 1_000_000, new Random(42))).isNull();
    }

    @Test
    void newValueIsSparseWithOneXZeroRun() {
        HyperLogLog h = HyperLogLog.createSparse();
        byte[] b = h.bytes();
        assertThat(new String(b, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("HYLL");
        assertThat(b).hasSize(18);
        assertThat(h.decodeSparse()).isEqualTo("Z:16384");
        assertThat(h.cacheValid()).isTrue();
        assertThat(h.count(null)).isZero();
    }

    @Test
    void sparseAndDenseAgreeAndPromotionHappensAtTheByteLimit() {
        HyperLogLog sparse = HyperLogLog.createSparse();
        HyperLogLog dense = HyperLogLog.createSparse();
        assertThat(dense.toDense()).isTrue();
        Random r = new Random(7);
        for (int i = 0; i < 5000; i++) {
            byte[] e = Long.toString(r.nextLong()).getBytes(StandardCharsets.US_ASCII);
            sparse.add(e, 3000);
            dense.add(e, 3000);
            if (sparse.encoding() == HyperLogLog.SPARSE) {
                assertThat(sparse.bytes().length).isLessThanOrEqualTo(3000);
            }
        }
        assertThat(sparse.encoding()).isEqualTo(HyperLogLog.DENSE);
        assertThat(java.util.Arrays.copyOfRange(sparse.bytes(), HyperLogLog.HDR_SIZE, HyperLogLog.DENSE_SIZE))
                .as("same registers").isEqualTo(java.util.Arrays.copyOfRange(dense.bytes(), HyperLogLog.HDR_SIZE, HyperLogLog.DENSE_SIZE));
        long estimate = dense.count(null);
        assertThat(estimate).isBetween(4800L, 5200L);
    }

    @Test
    void invalidValuesAreRecognised() {
        assertThat(HyperLogLog.isValid("HYLL".getBytes(StandardCharsets.US_ASCII))).isFalse();
        byte[] b = HyperLogLog.createSparse().bytes();
        assertThat(HyperLogLog.isValid(b)).isTrue();
        b[4] = 2;
        assertThat(HyperLogLog.isValid(b)).isFalse();
        b[4] = HyperLogLog.DENSE;
        assertThat(HyperLogLog.isValid(b)).as("dense needs the exact size").isFalse();
    }
}
