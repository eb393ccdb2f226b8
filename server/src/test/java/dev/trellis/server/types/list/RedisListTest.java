package dev.trellis.server.types.list;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Encoding transitions and the Java API of {@link RedisList}, checked against a plain model. */
class RedisListTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> contents(RedisList l) {
        List<String> out = new ArrayList<>();
        for (RedisList.Cursor c = l.cursor(0, true); c.valid(); c.advance()) {
            out.add(new String(c.get(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void smallListIsListpackAndBecomesQuicklistPast8kb() {
        RedisList l = new RedisList(new ListLimits(-2, 0));
        String v = "v".repeat(90); // 92 bytes per entry, plus the 8 byte estimate Redis adds
        for (int i = 0; i < 80; i++) {
            l.push(b(v), false);
        }
        assertThat(l.encoding()).isEqualTo("listpack");
        for (int i = 0; i < 20; i++) {
            l.push(b(v), false);
        }
        assertThat(l.encoding()).isEqualTo("quicklist");
        assertThat(l.nodeCount()).isGreaterThan(1);
        // one node of at most half the limit (4096 bytes) turns it back into a listpack
        while (l.size() > 44) {
            l.pop(false);
        }
        assertThat(l.nodeCount()).isEqualTo(1);
        assertThat(l.encoding()).isEqualTo("quicklist"); // 44 * 93 + 7 = 4099 bytes
        l.pop(false);
        assertThat(l.encoding()).isEqualTo("listpack"); // 4006 bytes
        // growing again converts exactly when the estimate passes 8192 bytes
        while (l.encoding().equals("listpack")) {
            l.push(b(v), false);
        }
        assertThat(l.size()).isEqualTo(89);
    }

    @Test
    void countFillConvertsOnEntryCount() {
        RedisList l = new RedisList(new ListLimits(4, 0));
        for (int i = 0; i < 4; i++) {
            l.push(b("e" + i), false);
        }
        assertThat(l.encoding()).isEqualTo("listpack");
        l.push(b("e4"), false);
        assertThat(l.encoding()).isEqualTo("quicklist");
        l.pop(false);
        l.pop(false);
        l.pop(false);
        assertThat(l.encoding()).isEqualTo("listpack");
        assertThat(contents(l)).containsExactly("e0", "e1");
    }

    @Test
    void largeElementGetsItsOwnNode() {
        RedisList l = new RedisList(new ListLimits(-2, 0));
        l.push(b("a"), false);
        l.push(b("x".repeat(9000)), false);
        l.push(b("c"), false);
        assertThat(l.encoding()).isEqualTo("quicklist");
        assertThat(l.nodeCount()).isEqualTo(3);
        assertThat(new String(l.get(1), StandardCharsets.UTF_8)).hasSize(9000);
        l.pop(true);
        l.pop(false);
        assertThat(l.encoding()).isEqualTo("quicklist"); // one node, but over half the limit
    }

    @Test
    void integersRoundTripAsText() {
        RedisList l = new RedisList(new ListLimits(-2, 0));
        String[] values = {"0", "127", "128", "-1", "4095", "-4096", "32767", "-32768", "8388607", "-8388608",
            "2147483647", "-2147483648", "9223372036854775807", "-9223372036854775808", "007", "-0", "+1", "1.0"};
        for (String v : values) {
            l.push(b(v), false);
        }
        assertThat(contents(l)).containsExactly(values);
        assertThat(l.remove(b("127"), 0)).isEqualTo(1);
        assertThat(l.remove(b("0127"), 0)).isZero();
    }

    @Test
    void randomOperationsMatchAModel() {
        Random r = new Random(42);
        for (int fill : new int[] {-2, -1, 1, 2, 5}) {
            RedisList l = new RedisList(new ListLimits(fill, 0));
            List<String> model = new ArrayList<>();
            for (int step = 0; step < 20000; step++) {
                String v = r.nextInt(50) == 0 ? "y".repeat(r.nextInt(9000)) : Integer.toString(r.nextInt(20) - 5);
                int op = r.nextInt(8);
                switch (op) {
                    case 0, 1 -> {
                        boolean head = r.nextBoolean();
                        l.push(b(v), head);
                        if (head) {
                            model.addFirst(v);
                        } else {
                            model.addLast(v);
                        }
                    }
                    case 2 -> {
                        boolean head = r.nextBoolean();
                        byte[] got = l.pop(head);
                        String want = model.isEmpty() ? null : head ? model.removeFirst() : model.removeLast();
                        assertThat(got == null ? null : new String(got, StandardCharsets.UTF_8)).isEqualTo(want);
                    }
                    case 3 -> {
                        int i = r.nextInt(model.size() + 1);
                        l.insertAt(i, b(v));
                        model.add(i, v);
                    }
                    case 4 -> {
                        if (!model.isEmpty()) {
                            int i = r.nextInt(model.size());
                            assertThat(l.set(i, b(v))).isTrue();
                            model.set(i, v);
                        }
                    }
                    case 5 -> {
                        long count = r.nextInt(5) - 2;
                        long removed = l.remove(b(v), count);
                        long want = 0;
                        if (count >= 0) {
                            for (int i = 0; i < model.size() && (count == 0 || want < count); ) {
                                if (model.get(i).equals(v)) {
                                    model.remove(i);
                                    want++;
                                } else {
                                    i++;
                                }
                            }
                        } else {
                            for (int i = model.size() - 1; i >= 0 && want < -count; i--) {
                                if (model.get(i).equals(v)) {
                                    model.remove(i);
                                    want++;
                                }
                            }
                        }
                        assertThat(removed).isEqualTo(want);
                    }
                    case 6 -> {
                        if (!model.isEmpty()) {
                            int from = r.nextInt(model.size());
                            int n = r.nextInt(Math.min(10, model.size() - from) + 1);
                            l.removeRange(from, n);
                            model.subList(from, from + n).clear();
                        }
                    }
                    default -> {
                        String pivot = Integer.toString(r.nextInt(20) - 5);
                        boolean after = r.nextBoolean();
                        int at = model.indexOf(pivot);
                        assertThat(l.insert(b(pivot), b(v), after)).isEqualTo(at >= 0);
                        if (at >= 0) {
                            model.add(after ? at + 1 : at, v);
                        }
                    }
                }
                assertThat(l.size()).isEqualTo(model.size());
                if (step % 97 == 0) {
                    assertThat(contents(l)).as("fill %d step %d", fill, step).isEqualTo(model);
                    if (!model.isEmpty()) {
                        int i = r.nextInt(model.size());
                        assertThat(new String(l.get(i), StandardCharsets.UTF_8)).isEqualTo(model.get(i));
                    }
                }
            }
            assertThat(contents(l)).isEqualTo(model);
            RedisList copy = l.copy();
            l.push(b("after-copy"), true);
            assertThat(contents(copy)).isEqualTo(model);
        }
    }

    @Test
    void nodesRoundTripThroughParse() {
        RedisList l = new RedisList(new ListLimits(3, 0));
        for (int i = 0; i < 10; i++) {
            l.push(b(i % 2 == 0 ? Integer.toString(i * 1000) : "s" + "x".repeat(i * 30)), false);
        }
        java.util.List<PackedEntries> parts = new ArrayList<>();
        for (int i = 0; i < l.nodeCount(); i++) {
            PackedEntries n = l.node(i);
            byte[] raw = java.util.Arrays.copyOfRange(n.buffer(), n.first(), n.first() + n.used());
            PackedEntries parsed = PackedEntries.parse(raw, 0, raw.length);
            assertThat(parsed).isNotNull();
            assertThat(parsed.count()).isEqualTo(n.count());
            parts.add(parsed);
            // any truncation or corruption is refused rather than trusted
            assertThat(PackedEntries.parse(raw, 0, raw.length - 1)).isNull();
            byte[] bad = raw.clone();
            bad[bad.length - 1] ^= 0x40;
            assertThat(PackedEntries.parse(bad, 0, bad.length)).isNull();
        }
        RedisList copy = RedisList.fromNodes(new ListLimits(3, 0), parts);
        assertThat(contents(copy)).isEqualTo(contents(l));
        assertThat(copy.encoding()).isEqualTo("quicklist");
        RedisList small = RedisList.fromNodes(new ListLimits(-2, 0), parts.subList(0, 1));
        assertThat(small.encoding()).isEqualTo("listpack");
        byte[] junk = {(byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F, 1, 2};
        assertThat(PackedEntries.parse(junk, 0, junk.length)).isNull();
        byte[] badType = {(byte) 0xF7, 1};
        assertThat(PackedEntries.parse(badType, 0, badType.length)).isNull();
    }
}
