package dev.trellis.server.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.resp.ArgSplitter;
import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every script in {@code src/test/resources/diff/} against Trellis and Debian's
 * redis-server and requires identical replies (type and value). Script lines are commands in
 * redis-cli quoting; {@code #} starts a comment. Prefixes: {@code !sort} compares an array
 * reply as a sorted multiset (unordered replies); {@code !type} compares only the reply type;
 * {@code !any} runs the command without comparing (setup with nondeterministic replies);
 * {@code !deepsort} sorts arrays at every nesting level (SCAN replies).
 * A line {@code # requires: cmd ...} skips the script while Trellis lacks one of those commands
 * (scripts that need another group's commands, e.g. a list for WRONGTYPE cases).
 */
class DifferentialScriptTest {
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

    @TestFactory
    Stream<DynamicTest> scripts() throws IOException {
        Path dir = Path.of("src/test/resources/diff");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(f)));
    }

    private static void run(Path script) throws IOException {
        assumeTrue(redis != null, "redis-server not installed: differential test skipped");
        List<String> mismatches = new ArrayList<>();
        try (RespClient a = trellis.client(); RespClient b = redis.client()) {
            a.call("FLUSHALL");
            b.call("FLUSHALL");
            List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.startsWith("# requires:")) {
                    for (String cmd : line.substring("# requires:".length()).trim().split("\\s+")) {
                        // Called bare: an arity error means it exists, "unknown command" that it does not.
                        RespValue probe = a.call(cmd);
                        assumeTrue(!(probe.isError() && probe.text().startsWith("ERR unknown command")),
                                "Trellis has no " + cmd + " yet: " + script.getFileName() + " skipped");
                    }
                }
            }
            for (int n = 0; n < lines.size(); n++) {
                String line = lines.get(n).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String mode = "";
                if (line.startsWith("!")) {
                    int sp = line.indexOf(' ');
                    mode = line.substring(1, sp);
                    line = line.substring(sp + 1).strip();
                }
                byte[][] args = ArgSplitter.split(line.getBytes(StandardCharsets.UTF_8));
                RespValue ra = a.callBytes(args);
                RespValue rb = b.callBytes(args);
                String sa = canonical(ra, mode);
                String sb = canonical(rb, mode);
                if (!mode.equals("any") && !sa.equals(sb)) {
                    mismatches.add(script.getFileName() + ":" + (n + 1) + " " + line + "\n    trellis: " + sa + "\n    redis:   " + sb);
                }
            }
        }
        assertThat(mismatches).as("replies differing from redis-server").isEmpty();
    }

    private static String canonical(RespValue v, String mode) {
        if (mode.equals("type")) {
            return String.valueOf(v.type());
        }
        if (mode.equals("deepsort")) {
            return deepSorted(v);
        }
        if (mode.equals("sort") && v.items() != null) {
            List<String> items = new ArrayList<>(v.items().stream().map(RespValue::toString).toList());
            items.sort(Comparator.naturalOrder());
            return v.type() + "sorted" + items;
        }
        return v.toString();
    }

    private static String deepSorted(RespValue v) {
        if (v.items() == null) {
            return v.toString();
        }
        List<String> items = new ArrayList<>(v.items().stream().map(DifferentialScriptTest::deepSorted).toList());
        items.sort(Comparator.naturalOrder());
        return v.type() + "sorted" + items;
    }
}
