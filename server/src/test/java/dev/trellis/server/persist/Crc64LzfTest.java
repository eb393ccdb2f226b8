package dev.trellis.server.persist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64LzfTest {
    @Test
    void crc64MatchesTheJonesCheckValue() {
        byte[] b = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc64.of(b, 0, b.length)).isEqualTo(0xe9c6d914c4b8d9caL);
        // Incremental and unaligned updates give the same value.
        long crc = Crc64.update(0, b, 0, 3);
        crc = Crc64.update(crc, b, 3, 6);
        assertThat(crc).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Test
    void lzfRoundTripsRepetitiveAndRandomData() {
        Random r = new Random(7);
        Lzf lzf = new Lzf();
        for (int round = 0; round < 300; round++) {
            int len = 1 + r.nextInt(round < 200 ? 300 : 70_000);
            byte[] in = new byte[len];
            int alphabet = 1 + r.nextInt(round % 3 == 0 ? 256 : 4);
            for (int i = 0; i < len; i++) {
                in[i] = (byte) ('a' + r.nextInt(alphabet));
            }
            byte[] c = new byte[len + len / 16 + 64];
            int clen = lzf.compress(in, 0, len, c, 0, c.length);
            assertThat(clen).isPositive();
            byte[] back = new byte[len];
            assertThat(Lzf.decompress(c, 0, clen, back, 0, len)).isEqualTo(len);
            assertThat(back).isEqualTo(in);
        }
        byte[] same = new byte[10_000];
        byte[] c = new byte[same.length];
        assertThat(lzf.compress(same, 0, same.length, c, 0, c.length)).isLessThan(200);
    }

    @Test
    void lzfCompressReportsWhenOutputDoesNotFit() {
        byte[] in = new byte[100];
        new Random(1).nextBytes(in);
        assertThat(new Lzf().compress(in, 0, in.length, new byte[96], 0, 96)).isZero();
    }

    @Test
    void lzfDecompressRejectsCorruptInputWithoutThrowing() {
        Random r = new Random(11);
        Lzf lzf = new Lzf();
        byte[] in = "abcabcabcabcabcabcabcabcabcabcabcabc-hello-hello-hello-hello".repeat(20).getBytes(StandardCharsets.US_ASCII);
        byte[] c = new byte[in.length];
        int clen = lzf.compress(in, 0, in.length, c, 0, c.length);
        int rejected = 0;
        for (int i = 0; i < 5000; i++) {
            byte[] bad = java.util.Arrays.copyOf(c, clen);
            bad[r.nextInt(clen)] ^= (byte) (1 << r.nextInt(8));
            int cut = r.nextInt(4) == 0 ? r.nextInt(clen) : clen;
            byte[] out = new byte[in.length];
            int n = Lzf.decompress(bad, 0, cut, out, 0, out.length);
            if (n != in.length) {
                rejected++;
            }
        }
        assertThat(rejected).isGreaterThan(1000);
        // A reference before the start of the output is refused.
        byte[] backref = {(byte) 0x20, 0x05};
        assertThat(Lzf.decompress(backref, 0, 2, new byte[16], 0, 16)).isEqualTo(-1);
    }
}
