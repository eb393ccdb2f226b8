package dev.trellis.server.info;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class InfoRegistryTest {
    private InfoRegistry registry() {
        InfoRegistry r = new InfoRegistry();
        r.register("server", "Server", InfoRegistry.Kind.STANDARD, true, out -> out.field("a", 1));
        r.register("modules", "Modules", InfoRegistry.Kind.STANDARD, true, out -> { });
        r.register("commandstats", "Commandstats", InfoRegistry.Kind.STANDARD, false, out -> out.field("c", "x"));
        r.register("mymod_stats", "mymod_stats", InfoRegistry.Kind.MODULE, false, out -> out.field("m", 2));
        r.register("debug", "Debug", InfoRegistry.Kind.EXPLICIT, false, out -> out.field("d", 3));
        return r;
    }

    @Test
    void selectionRules() {
        InfoRegistry r = registry();
        assertThat(r.generate(List.of())).isEqualTo("# Server\r\na:1\r\n\r\n# Modules\r\n");
        assertThat(r.generate(List.of("all"))).doesNotContain("mymod_stats").doesNotContain("Debug").contains("c:x");
        assertThat(r.generate(List.of("everything"))).contains("# mymod_stats\r\nm:2").doesNotContain("Debug");
        assertThat(r.generate(List.of("modules"))).isEqualTo("# Modules\r\n\r\n# mymod_stats\r\nm:2\r\n");
        assertThat(r.generate(List.of("MYMOD_STATS"))).isEqualTo("# mymod_stats\r\nm:2\r\n");
        assertThat(r.generate(List.of("debug"))).isEqualTo("# Debug\r\nd:3\r\n");
    }

    @Test
    void replaceKeepsPositionAndExtensions() {
        InfoRegistry r = registry();
        r.extend("server", out -> out.field("b", 2));
        r.register("server", "Server", InfoRegistry.Kind.STANDARD, true, out -> out.field("z", 9));
        assertThat(r.generate(List.of("server", "commandstats"))).isEqualTo("# Server\r\nz:9\r\nb:2\r\n\r\n# Commandstats\r\nc:x\r\n");
        assertThatThrownBy(() -> r.extend("nope", out -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void gaugesDefaultUntilPublished() {
        InfoRegistry r = new InfoRegistry();
        assertThat(r.gauge("pubsub_channels")).isZero();
        assertThat(r.gauge("blocked_clients", 7)).isEqualTo(7);
        r.gauge("pubsub_channels", () -> 4);
        assertThat(r.gauge("pubsub_channels")).isEqualTo(4);
    }

    @Test
    void humanSizesAndSafeNames() {
        assertThat(MemoryStats.human(1023)).isEqualTo("1023B");
        assertThat(MemoryStats.human(1536)).isEqualTo("1.50K");
        assertThat(MemoryStats.human(3L << 30)).isEqualTo("3.00G");
        assertThat(InfoOutput.safe("a:b#c\r\n")).isEqualTo("a_b_c__");
    }

    @Test
    void latencyHistogramPercentiles() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 100; i++) {
            h.record(i * 1000L);
        }
        assertThat(h.valueAt(50)).isBetween(48_000L, 52_000L);
        assertThat(h.valueAt(100)).isBetween(99_000L, 103_000L);
        assertThat(h.countAtOrBelow(10_500)).isEqualTo(10);
    }
}
