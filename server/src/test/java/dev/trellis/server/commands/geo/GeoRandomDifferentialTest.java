package dev.trellis.server.commands.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random points and random searches (radius and box, every unit, around points or members,
 * near the poles and the antimeridian) against redis-server: positions, hashes, distances
 * and result order must match digit for digit. Replay with {@code -Dgeo.seed=N}.
 */
class GeoRandomDifferentialTest {
    private static TestServer trellis;
    private static ReferenceRedis redis;

    @BeforeAll
    static void start() {
        redis = ReferenceRedis.startOrNull();
        if (redis != null) {
            trellis = TestServer.start();
        }
    }

    @AfterAll
    static void stop() {
        if (trellis != null) {
            trellis.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void randomSearchesMatchRedis() {
        assumeTrue(redis != null, "redis-server not installed: differential test skipped");
        long seed = Long.getLong("geo.seed", System.nanoTime());
        Random r = new Random(seed);
        try (RespClient a = trellis.client(); RespClient b = redis.client()) {
            a.call("FLUSHALL");
            b.call("FLUSHALL");
            for (int region = 0; region < 4; region++) {
                List<String> add = new ArrayList<>(List.of("GEOADD", "g"));
                for (int i = 0; i < 150; i++) {
                    double[] p = point(r, region);
                    add.add(Double.toString(p[0]));
                    add.add(Double.toString(p[1]));
                    add.add("m" + region + "-" + i);
                }
                check(a, b, seed, add);
            }
            String[] units = {"m", "km", "mi", "ft"};
            for (int i = 0; i < 1500; i++) {
                List<String> cmd = new ArrayList<>(List.of("GEOSEARCH", "g"));
                int region = r.nextInt(4);
                if (r.nextInt(3) == 0) {
                    addAll(cmd, "FROMMEMBER", "m" + region + "-" + r.nextInt(150));
                } else {
                    double[] p = point(r, region);
                    addAll(cmd, "FROMLONLAT", Double.toString(p[0]), Double.toString(p[1]));
                }
                String unit = units[r.nextInt(units.length)];
                double scale = unit.equals("m") ? 1000 : unit.equals("ft") ? 3000 : 1;
                if (r.nextBoolean()) {
                    addAll(cmd, "BYRADIUS", fmt(r.nextDouble() * 800 * scale), unit);
                } else {
                    addAll(cmd, "BYBOX", fmt(r.nextDouble() * 1500 * scale), fmt(r.nextDouble() * 1500 * scale), unit);
                }
                addAll(cmd, "WITHDIST", "WITHCOORD", "WITHHASH");
                switch (r.nextInt(4)) {
                    case 0 -> cmd.add("ASC");
                    case 1 -> cmd.add("DESC");
                    case 2 -> addAll(cmd, "COUNT", Integer.toString(1 + r.nextInt(5)), "ANY");
                    default -> {
                    }
                }
                check(a, b, seed, cmd);
                if (i % 10 == 0) {
                    check(a, b, seed, List.of("GEODIST", "g", "m" + region + "-" + r.nextInt(150),
                            "m" + r.nextInt(4) + "-" + r.nextInt(150), unit));
                    check(a, b, seed, List.of("GEOHASH", "g", "m" + region + "-" + r.nextInt(150)));
                    check(a, b, seed, List.of("GEOPOS", "g", "m" + region + "-" + r.nextInt(150)));
                }
            }
        }
    }

    /** Points clustered in one of four regions: Europe, the poles, the antimeridian, anywhere. */
    private static double[] point(Random r, int region) {
        return switch (region) {
            case 0 -> new double[] {5 + r.nextDouble() * 20, 35 + r.nextDouble() * 20};
            case 1 -> new double[] {-180 + r.nextDouble() * 360, (r.nextBoolean() ? 1 : -1) * (70 + r.nextDouble() * 15.05)};
            case 2 -> new double[] {(r.nextBoolean() ? 1 : -1) * (170 + r.nextDouble() * 10), -30 + r.nextDouble() * 60};
            default -> new double[] {-180 + r.nextDouble() * 360, -85 + r.nextDouble() * 170};
        };
    }

    private static String fmt(double d) {
        return String.format("%.3f", d);
    }

    private static void check(RespClient a, RespClient b, long seed, List<String> cmd) {
        String[] args = cmd.toArray(new String[0]);
        assertThat(a.call(args).toString()).as("seed %d: %s", seed, String.join(" ", cmd)).isEqualTo(b.call(args).toString());
    }

    private static void addAll(List<String> c, String... args) {
        c.addAll(List.of(args));
    }
}
