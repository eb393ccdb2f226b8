package dev.trellis.server.types.zset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ZSet against a simple model (a sorted set of entries plus a map) under random operations,
 * in the listpack encoding, the skiplist encoding, and with conversions in between.
 */
class ZSetModelTest {
    private record Entry(byte[] member, double score) {
    }

    private static final Comparator<Entry> ORDER = (x, y) -> {
        int c = Double.compare(x.score == 0 ? 0.0 : x.score, y.score == 0 ? 0.0 : y.score);
        return c != 0 ? c : Arrays.compareUnsigned(x.member, y.member);
    };

    private final TreeSet<Entry> sorted = new TreeSet<>(ORDER);
    private final Map<String, Double> scores = new HashMap<>();
    private boolean limitsSmall;

    @ParameterizedTest
    @ValueSource(ints = {0, 16, 128})
    void randomOperationsMatchTheModel(int maxEntries) {
        long seed = new Random().nextLong();
        Random r = new Random(seed);
        ZSetLimits limits = new ZSetLimits(maxEntries, 64);
        ZSet z = ZSet.create(1, 1, limits);
        limitsSmall = maxEntries < 128;
        for (int step = 0; step < 10_000; step++) {
            String ctx = "seed " + seed + " step " + step;
            byte[] m = member(r);
            int op = r.nextInt(10);
            if (op < 5) {
                double s = r.nextInt(20) - 5 + (r.nextBoolean() ? 0.5 : 0);
                int res = z.add(m, s, limits);
                Double old = scores.get(key(m));
                assertThat(res).as(ctx).isEqualTo(old == null ? ZSet.ADDED : old == s ? 0 : ZSet.UPDATED);
                if (old != null) {
                    sorted.remove(new Entry(m, old));
                }
                sorted.add(new Entry(m, s));
                scores.put(key(m), s);
            } else if (op < 7) {
                Double old = scores.remove(key(m));
                assertThat(z.remove(m)).as(ctx).isEqualTo(old != null);
                if (old != null) {
                    sorted.remove(new Entry(m, old));
                }
            } else if (op == 7 && r.nextInt(20) == 0) {
                ScoreRange range = new ScoreRange(r.nextInt(10) - 3, r.nextBoolean(), r.nextInt(10) - 3, r.nextBoolean());
                long expected = sorted.stream().filter(e -> range.contains(e.score)).count();
                assertThat(z.removeRangeByScore(range)).as(ctx).isEqualTo(expected);
                sorted.removeIf(e -> range.contains(e.score));
                scores.values().removeIf(range::contains);
            } else if (op == 8 && r.nextInt(20) == 0 && !sorted.isEmpty()) {
                int start = r.nextInt(sorted.size());
                int end = Math.min(sorted.size() - 1, start + r.nextInt(5));
                List<Entry> all = new ArrayList<>(sorted);
                assertThat(z.removeRange(start, end)).as(ctx).isEqualTo(end - start + 1);
                for (Entry e : all.subList(start, end + 1)) {
                    sorted.remove(e);
                    scores.remove(key(e.member));
                }
            } else if (step % 50 == 0) {
                check(z, r, ctx);
            }
            if (z.size() != sorted.size()) {
                assertThat(z.size()).as(ctx).isEqualTo(sorted.size());
            }
        }
        check(z, r, "seed " + seed + " final");
    }

    private void check(ZSet z, Random r, String ctx) {
        List<Entry> all = new ArrayList<>(sorted);
        List<String> actual = new ArrayList<>();
        z.forEach((m, s) -> actual.add(str(m) + "=" + s));
        assertThat(actual).as(ctx).isEqualTo(all.stream().map(e -> str(e.member) + "=" + e.score).toList());
        for (int i = 0; i < all.size(); i++) {
            byte[] m = all.get(i).member;
            if (z.rank(m, false) != i || z.rank(m, true) != all.size() - 1 - i || !Arrays.equals(z.memberAt(i), m)) {
                throw new AssertionError(ctx + ": rank or memberAt wrong at " + i);
            }
        }
        if (z.size() > 16) {
            assertThat(z.encoding()).as(ctx).isEqualTo(z.size() > 128 || limitsSmall ? "skiplist" : z.encoding());
        }
        ScoreRange range = new ScoreRange(r.nextInt(12) - 4, r.nextBoolean(), r.nextInt(12) - 4, r.nextBoolean());
        List<String> expected = all.stream().filter(e -> range.contains(e.score)).map(e -> str(e.member)).toList();
        assertThat(z.countByScore(range)).as(ctx).isEqualTo(expected.size());
        List<String> got = new ArrayList<>();
        z.rangeByScore(range, false, 0, -1, (m, s) -> got.add(str(m)));
        assertThat(got).as(ctx).isEqualTo(expected);
        got.clear();
        z.rangeByScore(range, true, 1, 3, (m, s) -> got.add(str(m)));
        List<String> rev = new ArrayList<>(expected).reversed();
        assertThat(got).as(ctx).isEqualTo(rev.subList(Math.min(1, rev.size()), Math.min(4, rev.size())));
        if (!all.isEmpty()) {
            int start = r.nextInt(all.size());
            int end = Math.min(all.size() - 1, start + r.nextInt(10));
            got.clear();
            z.range(start, end, r.nextBoolean(), (m, s) -> got.add(str(m)));
            assertThat(got).as(ctx).hasSize(end - start + 1);
        }
    }

    private static byte[] member(Random r) {
        int n = r.nextInt(200);
        return ("m" + n).getBytes(StandardCharsets.UTF_8);
    }

    private static String key(byte[] m) {
        return str(m);
    }

    private static String str(byte[] m) {
        return new String(m, StandardCharsets.UTF_8);
    }
}
