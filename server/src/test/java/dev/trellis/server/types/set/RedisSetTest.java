package dev.trellis.server.types.set;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link RedisSet} against a plain set model, and its encoding transitions. */
class RedisSetTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Set<String> contents(RedisSet s) {
        Set<String> out = new HashSet<>();
        for (RedisSet.Cursor c = s.cursor(); c.next(); ) {
            assertThat(out.add(new String(c.bytes(), StandardCharsets.UTF_8))).isTrue();
        }
        return out;
    }

    @Test
    void encodingTransitions() {
        SetLimits limits = new SetLimits(4, 3, 5);
        RedisSet s = RedisSet.create(limits, b("1"), 1);
        s.add(b("1"));
        assertThat(s.encoding()).isEqualTo("intset");
        s.add(b("2"));
        s.add(b("abc"));
        assertThat(s.encoding()).isEqualTo("listpack");
        s.add(b("x"));
        assertThat(s.encoding()).isEqualTo("hashtable");
        RedisSet ints = new RedisSet(limits);
        for (int i = 0; i < 4; i++) {
            ints.add(b(Integer.toString(i * 100000)));
        }
        assertThat(ints.encoding()).isEqualTo("intset");
        ints.add(b("7"));
        assertThat(ints.encoding()).isEqualTo("hashtable"); // past set-max-intset-entries
        RedisSet longStr = new RedisSet(limits);
        longStr.add(b("1"));
        longStr.add(b("toolong"));
        assertThat(longStr.encoding()).isEqualTo("hashtable");
        RedisSet wideInts = new RedisSet(limits);
        wideInts.add(b("123456"));
        wideInts.add(b("a")); // 6-digit members do not fit a 5-byte listpack value
        assertThat(wideInts.encoding()).isEqualTo("hashtable");
        assertThat(contents(wideInts)).containsExactlyInAnyOrder("123456", "a");
    }

    @Test
    void intsetIteratesInOrderAcrossWidths() {
        RedisSet s = new RedisSet(new SetLimits(512, 128, 64));
        for (String v : List.of("5", "-3", "70000", "-9223372036854775808", "9223372036854775807", "0", "32767", "-32768")) {
            s.add(b(v));
        }
        assertThat(s.encoding()).isEqualTo("intset");
        StringBuilder sb = new StringBuilder();
        for (RedisSet.Cursor c = s.cursor(); c.next(); ) {
            sb.append(new String(c.bytes(), StandardCharsets.UTF_8)).append(' ');
        }
        assertThat(sb.toString().trim()).isEqualTo("-9223372036854775808 -32768 -3 0 5 32767 70000 9223372036854775807");
        assertThat(s.contains(b("70000"))).isTrue();
        assertThat(s.contains(b("070000"))).isFalse();
        assertThat(s.remove(b("-32768"))).isTrue();
        assertThat(s.remove(b("-32768"))).isFalse();
    }

    @Test
    void randomOperationsMatchAModel() {
        Random r = new Random(11);
        for (long[] lim : new long[][] {{512, 128, 64}, {4, 3, 5}, {0, 0, 0}, {20, 10, 3}}) {
            SetLimits limits = new SetLimits(lim[0], lim[1], lim[2]);
            RedisSet s = new RedisSet(limits);
            Set<String> model = new HashSet<>();
            for (int step = 0; step < 20000; step++) {
                int k = r.nextInt(10);
                String m = k < 5 ? Integer.toString(r.nextInt(60) - 10)
                        : k < 9 ? "m" + r.nextInt(60) : List.of("", "007", "-0", "1.5", "long-member-name").get(r.nextInt(5));
                switch (r.nextInt(4)) {
                    case 0, 1 -> assertThat(s.add(b(m))).isEqualTo(model.add(m));
                    case 2 -> assertThat(s.remove(b(m))).isEqualTo(model.remove(m));
                    default -> assertThat(s.contains(b(m))).isEqualTo(model.contains(m));
                }
                assertThat(s.size()).isEqualTo(model.size());
                if (step % 333 == 0) {
                    assertThat(contents(s)).isEqualTo(model);
                }
                if (model.isEmpty() && r.nextInt(50) == 0) {
                    s = new RedisSet(limits);
                }
            }
            assertThat(contents(s)).isEqualTo(model);
            RedisSet copy = s.copy();
            s.add(b("after-copy"));
            assertThat(contents(copy)).isEqualTo(model);
        }
    }
}
