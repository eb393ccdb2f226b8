package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;

/** A server with one of our C test modules loaded, shared by a test class. */
abstract class ModuleApiTestBase {
    static TestServer server;
    static RespClient c;

    static void start(String module, String... args) {
        server = TestServer.start("--enable-module-command", "yes");
        c = server.client();
        String[] cmd = new String[args.length + 3];
        cmd[0] = "MODULE";
        cmd[1] = "LOAD";
        cmd[2] = NativeBuild.so("modules/" + module + ".so");
        System.arraycopy(args, 0, cmd, 3, args.length);
        assertThat(c.call(cmd).toString()).isEqualTo("+OK");
    }

    static void stop() {
        if (c != null) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static String call(String... args) {
        return c.call(args).toString();
    }
}
