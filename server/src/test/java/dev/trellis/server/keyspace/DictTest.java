package dev.trellis.server.keyspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The keyspace dictionary: lookups through resizes, the SCAN guarantee, random sampling. */
class DictTest {
    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void findsEveryKeyWhileGrowingAndShrinking() {
        Dict d = new Dict();
        Set<String> model = new HashSet<>();
        Random rnd = new Random(1);
        for (int round = 0; round < 20_000; round++) {
            String k = "k" + rnd.nextInt(3000);
            boolean add = rnd.nextInt(100) < (round < 10_000 ? 70 : 30);
            if (add && !model.contains(k)) {
                d.addNew(key(k), k);
                model.add(k);
            } else if (!add && model.contains(k)) {
                assertThat(d.remove(key(k))).isNotNull();
                model.remove(k);
            }
            assertThat(d.size()).isEqualTo(model.size());
        }
        for (String k : model) {
            assertThat(d.find(key(k))).as(k).isNotNull();
            assertThat(d.find(key(k)).value()).isEqualTo(k);
        }
        assertThat(d.find(key("absent"))).isNull();
        Set<String> seen = new HashSet<>();
        d.forEach(e -> seen.add(str(e.key())));
        assertThat(seen).isEqualTo(model);
    }

    /**
     * Keys present for the whole scan are all returned, whatever inserts and deletes of other
     * keys happen between calls, including enough to grow and then shrink the table while a
     * rehash is in progress.
     */
    @Test
    void scanReturnsEveryKeyPresentForTheWholeScan() {
        for (long seed = 1; seed <= 20; seed++) {
            Random rnd = new Random(seed);
            Dict d = new Dict();
            Set<String> stable = new HashSet<>();
            int stableCount = 50 + rnd.nextInt(500);
            for (int i = 0; i < stableCount; i++) {
                String k = "stable:" + i;
                d.addNew(key(k), k);
                stable.add(k);
            }
            List<String> churn = new ArrayList<>();
            int next = 0;
            Set<String> seen = new HashSet<>();
            long cursor = 0;
            int calls = 0;
            do {
                cursor = d.scan(cursor, e -> seen.add(str(e.key())));
                calls++;
                // Between calls: a burst of inserts (growth) or deletes (shrink) of other keys.
                int op = rnd.nextInt(10);
                int n = rnd.nextInt(4) != 0 ? 0 : rnd.nextInt(op < 2 ? 600 : 20);
                for (int i = 0; i < n; i++) {
                    if ((op < 5 && churn.size() < 2000) || churn.isEmpty()) {
                        String k = "churn:" + next++;
                        d.addNew(key(k), k);
                        churn.add(k);
                    } else {
                        String k = churn.remove(rnd.nextInt(churn.size()));
                        d.remove(key(k));
                    }
                }
                if (rnd.nextInt(4) == 0 && churn.size() > 10) {
                    // Drop most of the churn at once so the table shrinks mid-scan.
                    while (churn.size() > 5) {
                        d.remove(key(churn.remove(churn.size() - 1)));
                    }
                }
            } while (cursor != 0 && calls < 1_000_000);
            assertThat(cursor).as("seed %d: scan ends", seed).isZero();
            assertThat(seen).as("seed %d", seed).containsAll(stable);
        }
    }

    @Test
    void scanOfAStableTableReturnsEachKeyOnce() {
        Dict d = new Dict();
        for (int i = 0; i < 1000; i++) {
            d.addNew(key("k" + i), i);
        }
        List<String> seen = new ArrayList<>();
        long cursor = 0;
        do {
            cursor = d.scan(cursor, e -> seen.add(str(e.key())));
        } while (cursor != 0);
        assertThat(seen).hasSize(1000).doesNotHaveDuplicates();
    }

    @Test
    void emptyDictScansToZeroAndHasNoRandomKey() {
        Dict d = new Dict();
        assertThat(d.scan(0, e -> { })).isZero();
        assertThat(d.scan(12345, e -> { })).isZero();
        assertThat(d.random()).isNull();
    }

    /** Every key is drawn with roughly equal probability (within a generous factor). */
    @Test
    void randomSamplingIsRoughlyFair() {
        Dict d = new Dict();
        int keys = 200;
        for (int i = 0; i < keys; i++) {
            d.addNew(key("k" + i), i);
        }
        // Leave some keys in a half-rehashed table too.
        for (int i = 0; i < 150; i++) {
            d.remove(key("k" + i));
        }
        for (int i = 0; i < 150; i++) {
            d.addNew(key("k" + i), i);
        }
        Map<String, Integer> hits = new HashMap<>();
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            hits.merge(str(d.random().key()), 1, Integer::sum);
        }
        assertThat(hits).hasSize(keys);
        double expected = (double) draws / keys;
        for (Map.Entry<String, Integer> e : hits.entrySet()) {
            assertThat((double) e.getValue()).as(e.getKey()).isBetween(expected / 3, expected * 3);
        }
    }
}
