package dev.trellis.server.module;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the C pieces the build compiles into target/native. */
final class NativeBuild {
    private NativeBuild() {
    }

    /** Absolute path of {@code target/native/<rel>}, which must exist. */
    static String so(String rel) {
        Path p = Path.of("target", "native", rel).toAbsolutePath();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("not built: " + p);
        }
        return p.toString();
    }
}
