package dev.trellis.server.types.hash;

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

/** {@link RedisHash} against a plain map model, across all three encodings. */
class RedisHashTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Map<String, String> contents(RedisHash h) {
        Map<String, String> m = new HashMap<>();
        for (RedisHash.Cursor c = h.cursor(); c.next(); ) {
            assertThat(m.put(s(c.field()), s(c.value()))).isNull();
        }
        return m;
    }

    @Test
    void encodingsFollowTheLimits() {
        RedisHash h = new RedisHash(new HashLimits(3, 10));
        h.put(b("a"), b("1"));
        h.put(b("b"), b("2"));
        h.put(b("c"), b("3"));
        assertThat(h.encoding()).isEqualTo("listpack");
        h.put(b("d"), b("4"));
        assertThat(h.encoding()).isEqualTo("hashtable");
        RedisHash longValue = new RedisHash(new HashLimits(3, 10));
        longValue.put(b("a"), b("12345678901"));
        assertThat(longValue.encoding()).isEqualTo("hashtable");
        RedisHash ttl = new RedisHash(new HashLimits(3, 10));
        ttl.put(b("a"), b("1"));
        ttl.enableTtls();
        assertThat(ttl.encoding()).isEqualTo("listpackex");
        ttl.setExpireAt(ttl.find(b("a")), 1000);
        ttl.put(b("b"), b("2"));
        ttl.put(b("c"), b("3"));
        ttl.put(b("d"), b("4"));
        assertThat(ttl.encoding()).isEqualTo("hashtable");
        assertThat(ttl.expireAt(ttl.find(b("a")))).isEqualTo(1000);
        assertThat(ttl.minExpire()).isEqualTo(1000);
    }

    @Test
    void listpackExKeepsFieldsOrderedByTtl() {
        RedisHash h = new RedisHash(new HashLimits(100, 100));
        for (String f : new String[] {"a", "b", "c", "d"}) {
            h.put(b(f), b("v" + f));
        }
        h.enableTtls();
        h.setExpireAt(h.find(b("c")), 300);
        h.setExpireAt(h.find(b("a")), 500);
        h.setExpireAt(h.find(b("d")), 100);
        List<String> order = new ArrayList<>();
        for (RedisHash.Cursor c = h.cursor(); c.next(); ) {
            order.add(s(c.field()) + "@" + c.expireAt());
        }
        assertThat(order).containsExactly("d@100", "c@300", "a@500", "b@0");
        assertThat(h.minExpire()).isEqualTo(100);
        List<String> expired = new ArrayList<>();
        assertThat(h.expireFields(300, 10, f -> expired.add(s(f)))).isEqualTo(2);
        assertThat(expired).containsExactly("d", "c");
        h.set(b("a"), b("new"), false); // HSET clears the TTL
        assertThat(h.hasTtls()).isFalse();
        assertThat(contents(h)).containsEntry("a", "new").containsEntry("b", "vb").hasSize(2);
    }

    @Test
    void randomOperationsMatchAModel() {
        Random r = new Random(7);
        for (int limit : new int[] {0, 8, 512}) {
            RedisHash h = new RedisHash(new HashLimits(limit, 64));
            Map<String, String> model = new HashMap<>();
            Map<String, Long> ttls = new HashMap<>();
            for (int step = 0; step < 12000; step++) {
                String f = "f" + r.nextInt(r.nextInt(10) == 0 ? 2000 : 40);
                String v = r.nextBoolean() ? Integer.toString(r.nextInt(1000) - 500) : "val" + r.nextInt(100);
                switch (r.nextInt(7)) {
                    case 0, 1 -> {
                        boolean created = h.put(b(f), b(v));
                        assertThat(created).isEqualTo(!model.containsKey(f));
                        model.put(f, v);
                        ttls.remove(f);
                    }
                    case 2 -> {
                        assertThat(h.delete(b(f))).isEqualTo(model.remove(f) != null);
                        ttls.remove(f);
                    }
                    case 3 -> {
                        byte[] got = h.get(b(f));
                        assertThat(got == null ? null : s(got)).isEqualTo(model.get(f));
                    }
                    case 4 -> {
                        int pos = h.find(b(f));
                        if (pos >= 0) {
                            h.enableTtls();
                            pos = h.find(b(f));
                            long t = 1 + r.nextInt(1000);
                            h.setExpireAt(pos, t);
                            ttls.put(f, t);
                        }
                    }
                    case 5 -> {
                        long now = r.nextInt(200);
                        List<String> gone = new ArrayList<>();
                        h.expireFields(now, 5, x -> gone.add(s(x)));
                        for (String g : gone) {
                            assertThat(ttls.remove(g)).isNotNull().isLessThanOrEqualTo(now);
                            model.remove(g);
                        }
                    }
                    default -> {
                        int pos = h.find(b(f));
                        if (pos >= 0) {
                            assertThat(h.expireAt(pos)).isEqualTo(ttls.getOrDefault(f, 0L));
                        }
                    }
                }
                assertThat(h.size()).isEqualTo(model.size());
                long min = ttls.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
                assertThat(h.minExpire()).isEqualTo(min);
                if (step % 501 == 0) {
                    assertThat(contents(h)).isEqualTo(model);
                }
            }
            assertThat(contents(h)).isEqualTo(model);
            RedisHash copy = h.copy();
            h.put(b("after-copy"), b("x"));
            assertThat(contents(copy)).isEqualTo(model);
        }
    }

    @Test
    void scanReturnsEveryFieldAcrossResizes() {
        RedisHash h = new RedisHash(new HashLimits(0, 64));
        for (int i = 0; i < 1000; i++) {
            h.put(b("k" + i), b("v"));
        }
        Set<String> seen = new HashSet<>();
        long cursor = 0;
        int steps = 0;
        do {
            cursor = h.scan(cursor, pos -> seen.add(s(h.fieldAt(pos))));
            if (steps == 50) {
                for (int i = 1000; i < 5000; i++) { // grow mid-scan
                    h.put(b("k" + i), b("v"));
                }
            }
            if (steps == 900) {
                for (int i = 1000; i < 5000; i++) { // and shrink
                    h.delete(b("k" + i));
                }
            }
            steps++;
        } while (cursor != 0);
        for (int i = 0; i < 1000; i++) {
            assertThat(seen).contains("k" + i);
        }
    }
}
