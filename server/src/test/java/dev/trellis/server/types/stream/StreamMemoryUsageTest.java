package dev.trellis.server.types.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * memoryUsage() keeps the bytes of all nodes but the tail between calls (so XADD stays O(1)
 * for used_memory); after any mix of appends, trims and deletions it must equal a full count.
 */
class StreamMemoryUsageTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void runningFigureMatchesAFullCountAfterEveryKindOfChange() {
        RedisStream s = new RedisStream();
        Random rnd = new Random(42);
        long ms = 1;
        for (int step = 0; step < 3000; step++) {
            int op = rnd.nextInt(20);
            if (op < 16) {
                byte[][] fv = {b("f" + rnd.nextInt(3)), b("v".repeat(1 + rnd.nextInt(40)))};
                assertThat(s.add(fv, 0, 1, new StreamId(ms++, 0), true, 0, 512, 10)).isNotNull();
            } else if (op == 16) {
                s.trimByLength(Math.max(0, s.length() - rnd.nextInt(30)), rnd.nextBoolean(), 0);
            } else if (op == 17) {
                s.trimById(new StreamId(Math.max(1, ms - 200 - rnd.nextInt(100)), 0), false, 0);
            } else {
                StreamIterator it = s.iterator(new StreamId(Math.max(1, ms - rnd.nextInt(50)), 0), null, false);
                if (it.next()) {
                    it.removeCurrent();
                }
            }
            long running = s.memoryUsage();
            if (step % 7 == 0) {
                assertThat(running).as("step %d", step).isEqualTo(s.memoryUsageRecounted());
            }
        }
        assertThat(s.nodeCount()).isGreaterThan(3);
    }
}
