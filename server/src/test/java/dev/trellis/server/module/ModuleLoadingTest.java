package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MODULE LOAD/LOADEX/LIST/UNLOAD and every way a load or unload fails: Redis's error, a log
 * line saying why, and nothing of the failed module left behind.
 */
class ModuleLoadingTest {
    static final String LOAD_ERR = "-ERR Error loading the extension. Please check the server logs.";
    static TestServer server;
    static String testload;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        server = TestServer.start("--enable-module-command", "yes");
        testload = NativeBuild.so("modules/testload.so");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void unloadAll(RespClient c) {
        for (String name : new String[] {"testload", "exp", "usr", "other"}) {
            c.call("MODULE", "UNLOAD", name);
        }
    }

    @Test
    void loadsListsAndUnloads() {
        try (RespClient c = server.client()) {
            unloadAll(c);
            assertThat(c.call("MODULE", "LOAD", testload, "x", "y").toString()).isEqualTo("+OK");
            assertThat(c.call("TESTLOAD.PING").toString()).isEqualTo("+PONG");
            assertThat(c.call("MODULE", "LIST").toString())
                    .startsWith("*[*[$name, $testload, $ver, :3, $path, $" + testload + ", $args, *[$x, $y]");
            assertThat(c.call("MODULE", "UNLOAD", "TESTLOAD").toString()).isEqualTo("+OK");
            assertThat(c.call("TESTLOAD.PING").isError()).isTrue();
        }
    }

    @Test
    void configRewriteRecordsTheLoadedModules() throws Exception {
        Path conf = tmp.resolve("redis.conf");
        Files.writeString(conf, "enable-module-command yes\n");
        try (TestServer s = TestServer.start(conf.toString()); RespClient c = s.client()) {
            assertThat(c.call("MODULE", "LOAD", testload, "x", "y").toString()).isEqualTo("+OK");
            assertThat(c.call("CONFIG", "REWRITE").toString()).isEqualTo("+OK");
        }
        assertThat(Files.readAllLines(conf)).contains("loadmodule " + testload + " x y");
        // A restart from the rewritten file loads the module again; once unloaded, the
        // next rewrite drops its line.
        try (TestServer s = TestServer.start(conf.toString()); RespClient c = s.client()) {
            assertThat(c.call("MODULE", "LIST").toString()).contains("$testload").contains("*[$x, $y]");
            assertThat(c.call("MODULE", "UNLOAD", "testload").toString()).isEqualTo("+OK");
            assertThat(c.call("CONFIG", "REWRITE").toString()).isEqualTo("+OK");
        }
        assertThat(Files.readString(conf)).doesNotContain("loadmodule");
    }

    @Test
    void missingFile() {
        try (LogCapture log = new LogCapture(); RespClient c = server.client()) {
            assertThat(c.call("MODULE", "LOAD", "/nonexistent/mod.so").toString()).isEqualTo(LOAD_ERR);
            assertThat(log.text()).contains("Module /nonexistent/mod.so failed to load: /nonexistent/mod.so: cannot open shared object file");
            assertThat(c.call("MODULE", "LIST").toString()).isEqualTo("*[]");
        }
    }

    @Test
    void notASharedObject() throws Exception {
        Path f = tmp.resolve("text.so");
        Files.writeString(f, "this is not an ELF file\n".repeat(20));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (LogCapture log = new LogCapture(); RespClient c = server.client()) {
            assertThat(c.call("MODULE", "LOAD", f.toString()).toString()).isEqualTo(LOAD_ERR);
            assertThat(log.text()).contains("Module " + f + " failed to load: ").contains("invalid ELF header");
        }
    }

    @Test
    void noExecutePermission() throws Exception {
        Path f = tmp.resolve("noexec.so");
        Files.copy(Path.of(testload), f, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        try (LogCapture log = new LogCapture(); RespClient c = server.client()) {
            assertThat(c.call("MODULE", "LOAD", f.toString()).toString()).isEqualTo(LOAD_ERR);
            assertThat(log.text()).contains("Module " + f + " failed to load: It does not have execute permissions.");
        }
    }

    @Test
    void noOnLoad() {
        String so = NativeBuild.so("modules/noonload.so");
        try (LogCapture log = new LogCapture(); RespClient c = server.client()) {
            assertThat(c.call("MODULE", "LOAD", so).toString()).isEqualTo(LOAD_ERR);
            assertThat(log.text()).contains("Module " + so + " does not export RedisModule_OnLoad() symbol. Module not loaded.");
        }
    }

    @Test
    void onLoadFailingRemovesItsCommands() {
        try (LogCapture log = new LogCapture(); RespClient c = server.client()) {
            unloadAll(c);
            assertThat(c.call("MODULE", "LOAD", testload, "fail-after-command").toString()).isEqualTo(LOAD_ERR);
            assertThat(log.text()).contains("Module " + testload + " initialization failed. Module not loaded");
            assertThat(c.call("TESTLOAD.PING").toString()).startsWith("-ERR unknown command 'TESTLOAD.PING'");
            assertThat(c.call("MODULE", "LIST").toString()).isEqualTo("*[]");
        }
    }

    @Test
    void initNeverCalled() {
        try (LogCapture log = new LogCapture(); RespClient c = server.client()) {
            assertThat(c.call("MODULE", "LOAD", testload, "no-init").toString()).isEqualTo(LOAD_ERR);
            assertThat(log.text()).contains("did not call RedisModule_Init()")
                    .contains("Module " + testload + " initialization failed. Module not loaded");
        }
    }

    @Test
    void commandNameTaken() {
        try (RespClient c = server.client()) {
            unloadAll(c);
            assertThat(c.call("MODULE", "LOAD", testload, "busy-command").toString()).isEqualTo(LOAD_ERR);
            assertThat(c.call("TESTLOAD.PING").isError()).isTrue();
            assertThat(c.call("SET", "k", "v").toString()).isEqualTo("+OK");
        }
    }

    @Test
    void moduleNameTaken() {
        try (RespClient c = server.client()) {
            unloadAll(c);
            assertThat(c.call("MODULE", "LOAD", testload).toString()).isEqualTo("+OK");
            assertThat(c.call("MODULE", "LOAD", testload).toString()).isEqualTo(LOAD_ERR);
            assertThat(c.call("TESTLOAD.PING").toString()).isEqualTo("+PONG");
            assertThat(c.call("MODULE", "LIST").items()).hasSize(1);
            assertThat(c.call("MODULE", "UNLOAD", "testload").toString()).isEqualTo("+OK");
        }
    }

    @Test
    void unloadUnknown() {
        try (LogCapture log = new LogCapture(); RespClient c = server.client()) {
            assertThat(c.call("MODULE", "UNLOAD", "nosuch").toString())
                    .isEqualTo("-ERR Error unloading module: no such module with that name");
            assertThat(log.text()).contains("Error unloading module nosuch: no such module with that name");
        }
    }

    @Test
    void onUnloadRefusing() throws Exception {
        // A copy of the library: the refusal is a global of the loaded image.
        Path copy = tmp.resolve("refusing.so");
        Files.copy(Path.of(testload), copy);
        try (TestServer s = TestServer.start("--enable-module-command", "yes");
             LogCapture log = new LogCapture(); RespClient c = s.client()) {
            assertThat(c.call("MODULE", "LOAD", copy.toString(), "name", "other", "refuse-unload").toString()).isEqualTo("+OK");
            assertThat(c.call("MODULE", "UNLOAD", "other").toString())
                    .isEqualTo("-ERR Error unloading module: operation not possible.");
            assertThat(log.text()).contains("Module other OnUnload failed.  Unload canceled.");
            assertThat(c.call("OTHER.PING").toString()).isEqualTo("+PONG");
        }
    }

    @Test
    void sharedApiUsersBlockUnload() {
        try (RespClient c = server.client()) {
            unloadAll(c);
            assertThat(c.call("MODULE", "LOAD", testload, "name", "exp", "export", "api1").toString()).isEqualTo("+OK");
            assertThat(c.call("MODULE", "LOAD", testload, "name", "usr", "use", "api1").toString()).isEqualTo("+OK");
            assertThat(c.call("MODULE", "UNLOAD", "exp").toString()).isEqualTo(
                    "-ERR Error unloading module: the module exports APIs used by other modules. Please unload them first and try again");
            assertThat(c.call("MODULE", "UNLOAD", "usr").toString()).isEqualTo("+OK");
            assertThat(c.call("MODULE", "UNLOAD", "exp").toString()).isEqualTo("+OK");
            assertThat(c.call("MODULE", "LOAD", testload, "name", "usr", "use", "api1").toString()).isEqualTo(LOAD_ERR);
        }
    }

    @Test
    void loadex() {
        try (RespClient c = server.client()) {
            unloadAll(c);
            assertThat(c.call("MODULE", "LOADEX", testload, "ARGS", "name", "exp").toString()).isEqualTo("+OK");
            assertThat(c.call("MODULE", "LIST").toString()).contains("$name, $exp").contains("$args, *[$name, $exp]");
            assertThat(c.call("MODULE", "UNLOAD", "exp").toString()).isEqualTo("+OK");
            // A config nobody registers is an error, and the module is unloaded again.
            assertThat(c.call("MODULE", "LOADEX", testload, "CONFIG", "testload.x", "1").toString()).isEqualTo(LOAD_ERR);
            assertThat(c.call("MODULE", "LIST").toString()).isEqualTo("*[]");
            assertThat(c.call("MODULE", "LOADEX", testload, "BOGUS").toString()).isEqualTo(LOAD_ERR);
            assertThat(c.call("MODULE", "LOADEX", testload, "CONFIG", "x").toString()).isEqualTo(LOAD_ERR);
        }
    }

    @Test
    void unimplementedApiNamesAreReported() {
        try (RespClient c = server.client()) {
            unloadAll(c);
            // Every function of our header is implemented: a module asking for one from a newer
            // Redis (here a made-up name) gets NULL, and MODULE LIST names it.
            assertThat(c.call("MODULE", "LOAD", testload).toString()).isEqualTo("+OK");
            assertThat(c.call("MODULE", "LIST").toString()).doesNotContain("missing-apis");
            assertThat(c.call("MODULE", "UNLOAD", "testload").toString()).isEqualTo("+OK");
            assertThat(c.call("MODULE", "LOAD", testload, "ask", "FutureFunction").toString()).isEqualTo("+OK");
            String list = c.call("MODULE", "LIST").toString();
            assertThat(list).contains("$missing-apis, *[$FutureFunction]");
            assertThat(c.call("MODULE", "UNLOAD", "testload").toString()).isEqualTo("+OK");
        }
    }

    @Test
    void moduleCommandGuard() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            assertThat(c.call("MODULE", "LOAD", testload).toString()).isEqualTo(
                    "-ERR MODULE command not allowed. If the enable-module-command option is set to \"local\", you can "
                            + "run it from a local connection, otherwise you need to set this option in the configuration "
                            + "file, and then restart the server.");
            assertThat(c.call("MODULE", "LIST").toString()).isEqualTo("*[]");
        }
        try (TestServer s = TestServer.start("--enable-module-command", "local"); RespClient c = s.client()) {
            assertThat(c.call("MODULE", "LOAD", testload).toString()).isEqualTo("+OK");
        }
    }
}
