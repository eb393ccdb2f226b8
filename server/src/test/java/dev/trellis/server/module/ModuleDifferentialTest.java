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
        ReferenceRedis redis = ReferenceRedis.startOrNull("--enable-module-command", "yes", "--loadmodule", so);
        assumeTrue(redis != null, "redis-server not installed: differential test skipped");
        List<String> mismatches = new ArrayList<>();
        try (ReferenceRedis r = redis; TestServer trellis = TestServer.start("--enable-module-command", "yes", "--loadmodule", so);
             RespClient a = trellis.client(); RespClient b = r.client()) {
            for (String line : Files.readAllLines(script, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String mode = "";
                String cmd = line;
                if (line.startsWith("!")) {
                    int sp = line.indexOf(' ');
                    mode = line.substring(0, sp);
                    cmd = line.substring(sp + 1);
                }
                byte[][] args = ArgSplitter.split(cmd.getBytes(StandardCharsets.UTF_8));
                RespValue x = a.callBytes(args);
                RespValue y = b.callBytes(args);
                boolean same = switch (mode) {
                    case "!any" -> true;
                    case "!type" -> x.type() == y.type();
                    default -> x.toString().equals(y.toString());
                };
                if (!same) {
                    mismatches.add(cmd + "\n    trellis: " + x + "\n    redis:   " + y);
                }
            }
        }
        assertThat(mismatches).as("replies differing from redis-server for " + script.getFileName()).isEmpty();
    }
}
