package dev.trellis.server.tx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/** Optimistic locking with a real client: concurrent WATCH/MULTI/EXEC increments never lose updates. */
class WatchRaceJedisTest {
    @Test
    void concurrentCheckAndSetIncrementsAreNeverLost() throws Exception {
        int threads = 4;
        int perThread = 150;
        AtomicInteger aborted = new AtomicInteger();
        try (TestServer server = TestServer.start()) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                        for (int i = 0; i < perThread; ) {
                            j.watch("counter");
                            String v = j.get("counter");
                            long n = v == null ? 0 : Long.parseLong(v);
                            Transaction tx = j.multi();
                            tx.set("counter", Long.toString(n + 1));
                            List<Object> res = tx.exec();
                            if (res == null) {
                                aborted.incrementAndGet();
                            } else {
                                i++;
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                assertThat(j.get("counter")).isEqualTo(Integer.toString(threads * perThread));
            }
        }
    }
}
