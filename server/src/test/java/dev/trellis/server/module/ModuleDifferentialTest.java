package dev.trellis.server.module;

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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The same C test module loaded into Trellis and into Debian's redis-server, driven by the same
 * script: replies must be identical. Scripts are {@code src/test/resources/module-diff/<module>.txt}
 * (one command per line, redis-cli quoting, {@code #} comments; {@code !any} runs a command
 * without comparing, {@code !type} compares only the reply type). They avoid what Redis 7.0
 * lacks (functions added in 7.2, the 'D' Call flag).
 */
class ModuleDifferentialTest {
    @TestFactory
    Stream<DynamicTest> scripts() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/module-diff"))) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> run(f)));
    }

    private static void run(Path script) throws IOException {
        String module = script.getFileName().toString().replace(".txt", "");
        String so = NativeBuild.so("modules/" + module + ".so");
        List<String> mismatches = compare(script, so);
        assertThat(mismatches).as("replies differing from redis-server for " + script.getFileName()).isEmpty();
    }

    /**
     * Runs {@code script} against Trellis and redis-server, both loading {@code so} (plus
     * {@code extra} arguments for both), and returns the commands whose replies differ.
     * Besides {@code !any} and {@code !type}, {@code !sort} compares an array's elements in
     * any order and {@code !head N} only its first N elements.
     */
    static List<String> compare(Path script, String so, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--enable-module-command", "yes", "--loadmodule", so));
        args.addAll(List.of(extra));
        ReferenceRedis redis = ReferenceRedis.startOrNull(args.toArray(new String[0]));
        assumeTrue(redis != null, "redis-server not installed: differential test skipped");
        List<String> mismatches = new ArrayList<>();
        try (ReferenceRedis r = redis; TestServer trellis = TestServer.start(args.toArray(new String[0]));
             RespClient a = trellis.client(); RespClient b = r.client()) {
            for (String line : Files.readAllLines(script, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String mode = "";
                int head = 0;
                String cmd = line;
                if (line.startsWith("!")) {
                    int sp = line.indexOf(' ');
                    mode = line.substring(0, sp);
                    cmd = line.substring(sp + 1);
                    if (mode.equals("!head")) {
                        sp = cmd.indexOf(' ');
                        head = Integer.parseInt(cmd.substring(0, sp));
                        cmd = cmd.substring(sp + 1);
                    }
                }
                byte[][] argv = ArgSplitter.split(cmd.getBytes(StandardCharsets.UTF_8));
                RespValue x = a.callBytes(argv);
                RespValue y = b.callBytes(argv);
                boolean same = switch (mode) {
                    case "!any" -> true;
                    case "!type" -> x.type() == y.type();
                    case "!sort" -> sorted(x).equals(sorted(y));
                    case "!head" -> head(x, head).equals(head(y, head));
                    default -> x.toString().equals(y.toString());
                };
                if (!same) {
                    mismatches.add(cmd + "\n    trellis: " + x + "\n    redis:   " + y);
                }
            }
        }
        return mismatches;
    }

    private static String sorted(RespValue v) {
        if (v.items() == null) {
            return v.toString();
        }
        return v.type() + v.items().stream().map(RespValue::toString).sorted().toList().toString();
    }

    private static String head(RespValue v, int n) {
        if (v.items() == null) {
            return v.toString();
        }
        return v.type() + v.items().subList(0, Math.min(n, v.items().size())).toString();
    }
}
