package dev.trellis.server.types.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamIdTest {
    @Test
    void bytesAreTheUnsignedDecimalText() {
        long[] values = {0, 1, 9, 10, 99, 100, 1_700_000_000_123L, Long.MAX_VALUE, Long.MIN_VALUE, -1L, -10L};
        for (long ms : values) {
            for (long seq : values) {
                String want = Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
                assertThat(new String(new StreamId(ms, seq).toBytes(), StandardCharsets.US_ASCII)).isEqualTo(want);
            }
        }
    }
}
