package dev.trellis.server.eviction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The accounted dataset against the JVM's own accounting: the heap in use after a full
 * collection grows by about what the meter says when a dataset is loaded, and both fall back
 * when it is flushed.
 */
class MemoryMeterTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static long heapAfterGc() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 2; i++) {
            System.gc();
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    private static long dataset() throws Exception {
        CompletableFuture<Long> f = new CompletableFuture<>();
        server.server().execute(() -> f.complete(server.server().eviction().meter().datasetBytes()));
        return f.get();
    }

    /** Loads a dataset with pipelined commands and returns {meter delta, heap delta}. */
    private static long[] measure(Consumer<RespClient> load) throws Exception {
        try (RespClient c = server.client()) {
            c.call("FLUSHALL");
            long heap0 = heapAfterGc();
            long meter0 = dataset();
            load.accept(c);
            long heap1 = heapAfterGc();
            long meter1 = dataset();
            c.call("FLUSHALL");
            assertThat(dataset()).isZero();
            return new long[] {meter1 - meter0, heap1 - heap0};
        }
    }

    /** Sends {@code n} commands in batches of one write each (ASCII arguments) and reads the replies. */
    static void pipeline(RespClient c, int n, java.util.function.IntFunction<String[]> cmd) {
        int batch = 2000;
        for (int i = 0; i < n; i += batch) {
            int m = Math.min(batch, n - i);
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < m; j++) {
                String[] a = cmd.apply(i + j);
                sb.append('*').append(a.length).append("\r\n");
                for (String arg : a) {
                    sb.append('$').append(arg.length()).append("\r\n").append(arg).append("\r\n");
                }
            }
            c.sendRaw(sb.toString());
            for (int j = 0; j < m; j++) {
                c.read();
            }
        }
    }

    private static double ratio(long[] m) {
        System.out.println("memory meter " + m[0] + " bytes, heap after GC " + m[1] + " bytes, ratio " + (double) m[0] / m[1]);
        return (double) m[0] / m[1];
    }

    @Test
    void smallStringsMatchTheHeap() throws Exception {
        long[] m = measure(c -> pipeline(c, 60_000, i -> new String[] {"SET", "key:" + i, "value-" + i}));
        assertThat(ratio(m)).isBetween(0.8, 1.25);
    }

    @Test
    void largeStringsMatchTheHeap() throws Exception {
        String v = "x".repeat(3000);
        long[] m = measure(c -> pipeline(c, 2_000, i -> new String[] {"SET", "big:" + i, v}));
        assertThat(ratio(m)).isBetween(0.85, 1.15);
    }

    @Test
    void aggregatesAreInTheRightRange() throws Exception {
        long[] m = measure(c -> {
            pipeline(c, 2_000, i -> new String[] {"RPUSH", "list:" + (i % 20), "element-" + i, "more-" + i});
            pipeline(c, 2_000, i -> new String[] {"HSET", "hash:" + (i % 20), "field-" + i, "value-" + i});
            pipeline(c, 2_000, i -> new String[] {"SADD", "set:" + (i % 20), "member-" + i});
            pipeline(c, 2_000, i -> new String[] {"ZADD", "zset:" + (i % 20), Integer.toString(i), "member-" + i});
        });
        assertThat(ratio(m)).isBetween(0.5, 2.0);
    }

    @Test
    void inPlaceGrowthAndDeletionAreAccounted() throws Exception {
        try (RespClient c = server.client()) {
            c.call("FLUSHALL");
            c.call("RPUSH", "grow", "a");
            long small = dataset();
            pipeline(c, 5_000, i -> new String[] {"RPUSH", "grow", "element-number-" + i});
            long big = dataset();
            assertThat(big - small).isGreaterThan(5_000L * 15);
            c.call("LTRIM", "grow", "0", "0");
            assertThat(dataset()).isLessThan(big / 4);
            c.call("APPEND", "s", "x".repeat(10_000));
            long withString = dataset();
            c.call("DEL", "s", "grow");
            assertThat(withString).isGreaterThan(10_000);
            assertThat(dataset()).isZero();
        }
    }
}
