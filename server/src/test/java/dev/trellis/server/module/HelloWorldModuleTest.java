package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/** The introduction's HELLOWORLD.RAND module, loaded the three ways Redis allows. */
class HelloWorldModuleTest {
    @Test
    void moduleLoadRunsTheCommandAndUnloadRemovesIt() {
        String so = NativeBuild.so("examples/helloworld.so");
        try (TestServer s = TestServer.start("--enable-module-command", "yes"); RespClient c = s.client()) {
            assertThat(c.call("MODULE", "LOAD", so).toString()).isEqualTo("+OK");
            RespValue r = c.call("HELLOWORLD.RAND");
            assertThat(r.type()).isEqualTo(':');
            assertThat(r.asLong()).isGreaterThanOrEqualTo(0);
            assertThat(c.call("helloworld.rand").type()).isEqualTo(':');
            assertThat(c.call("MODULE", "LIST").toString())
                    .startsWith("*[*[$name, $helloworld, $ver, :1, $path, $" + so + ", $args, *[]");
            assertThat(c.call("MODULE", "UNLOAD", "helloworld").toString()).isEqualTo("+OK");
            assertThat(c.call("HELLOWORLD.RAND").toString())
                    .isEqualTo("-ERR unknown command 'HELLOWORLD.RAND', with args beginning with: ");
            assertThat(c.call("MODULE", "LIST").toString()).isEqualTo("*[]");
        }
    }

    @Test
    void loadmoduleAtStartup() {
        String so = NativeBuild.so("examples/helloworld.so");
        try (TestServer s = TestServer.start("--loadmodule", so, "a1", "a2"); RespClient c = s.client()) {
            assertThat(c.call("HELLOWORLD.RAND").type()).isEqualTo(':');
            assertThat(c.call("MODULE", "LIST").toString()).contains("$args, *[$a1, $a2]");
        }
    }
}
