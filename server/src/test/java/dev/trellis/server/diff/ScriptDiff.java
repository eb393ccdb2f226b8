package dev.trellis.server.diff;

import dev.trellis.server.resp.ArgSplitter;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs differential scripts (the format of {@link DifferentialScriptTest}) against two
 * connections and lists the replies that differ. Lines whose {@code !mode} prefix is in
 * {@code skipModes} are not run: scripts mark lines that only hold for one encoding so the
 * same script can run again under other settings.
 */
public final class ScriptDiff {
    private ScriptDiff() {
    }

    /** The scripts in the diff directory whose names start with {@code prefix}. */
    public static List<Path> scripts(String prefix) {
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/diff"))) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".txt"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<String> run(RespClient a, RespClient b, Path script, Set<String> skipModes) throws IOException {
        List<String> mismatches = new ArrayList<>();
        a.call("FLUSHALL");
        b.call("FLUSHALL");
        List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
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
            if (skipModes.contains(mode)) {
                continue;
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
        return mismatches;
    }

    /** The comparison form of a reply under a line mode (sort, type, or exact). */
    public static String canonical(RespValue v, String mode) {
        if (mode.equals("type")) {
            return String.valueOf(v.type());
        }
        if (mode.equals("sort") && v.items() != null) {
            List<String> items = new ArrayList<>(v.items().stream().map(RespValue::toString).toList());
            items.sort(Comparator.naturalOrder());
            return v.type() + "sorted" + items;
        }
        return v.toString();
    }
}
