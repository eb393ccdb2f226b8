package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/** Module INFO sections, GetServerInfo, and module configs (CONFIG GET/SET, LOADEX, config file), through tminfo.c. */
class InfoConfigModuleTest {
    static final String SECTION = "# tminfo\r\ntminfo_global:-2\r\ntminfo_uglobal:18446744073709551614\r\n"
            + "tminfo_ratio:0.10000000000000001\r\ntminfo_text:a:b\r\ntminfo_dict:k1=1,k2=two\r\n";
    static final String EXTRA = "# tminfo_extra\r\ntminfo_value:42\r\ntminfo_open:x=1\r\n";

    private static String so() {
        return NativeBuild.so("modules/tminfo.so");
    }

    private static String info(RespClient c, String... sections) {
        String[] args = new String[sections.length + 1];
        args[0] = "INFO";
        System.arraycopy(sections, 0, args, 1, sections.length);
        return c.call(args).text();
    }

    @Test
    void configRewriteRecordsLoadedModulesAndTheirConfigs(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path conf = dir.resolve("redis.conf");
        java.nio.file.Files.writeString(conf, "enable-module-command yes\n");
        try (TestServer s = TestServer.start(conf.toString()); RespClient c = s.client()) {
            assertThat(c.call("MODULE", "LOAD", so(), "extra-arg").toString()).isEqualTo("+OK");
            assertThat(c.call("CONFIG", "SET", "tminfo.numeric", "7").toString()).isEqualTo("+OK");
            assertThat(c.call("CONFIG", "REWRITE").toString()).isEqualTo("+OK");
        }
        assertThat(java.nio.file.Files.readAllLines(conf)).contains("loadmodule " + so() + " extra-arg", "tminfo.numeric 7");
        // The rewritten file starts a server with the module and its setting.
        try (TestServer s = TestServer.start(conf.toString()); RespClient c = s.client()) {
            assertThat(c.call("CONFIG", "GET", "tminfo.numeric").toString()).isEqualTo("*[$tminfo.numeric, $7]");
            assertThat(c.call("MODULE", "UNLOAD", "tminfo").toString()).isEqualTo("+OK");
            assertThat(c.call("CONFIG", "REWRITE").toString()).isEqualTo("+OK");
        }
        // As Redis: no load line, and the unloaded module's setting kept only as a comment.
        assertThat(java.nio.file.Files.readString(conf)).doesNotContain("loadmodule").contains("\n# ??? tminfo.numeric 7\n");
    }

    @Test
    void moduleSectionsAppearWhenAskedFor() {
        try (TestServer s = TestServer.start("--loadmodule", so()); RespClient c = s.client()) {
            assertThat(info(c, "tminfo")).isEqualTo(SECTION + "\r\n" + EXTRA);
            assertThat(info(c, "tminfo_extra")).isEqualTo(EXTRA);
            assertThat(info(c, "everything")).endsWith(SECTION + "\r\n" + EXTRA);
            assertThat(info(c, "modules")).startsWith("# Modules\r\n").endsWith(SECTION + "\r\n" + EXTRA);
            assertThat(info(c)).doesNotContain("tminfo_");
            assertThat(info(c, "all")).doesNotContain("tminfo_");
            assertThat(info(c, "server", "tminfo_extra")).startsWith("# Server\r\n").endsWith("\r\n\r\n" + EXTRA);
        }
    }

    @Test
    void modulesReadTheServersInfo() {
        try (TestServer s = TestServer.start("--loadmodule", so()); RespClient c = s.client()) {
            assertThat(c.call("TMI.FIELD", "server", "redis_version").toString()).isEqualTo("*[$7.2.4, $7.2.4, $(nil), $(nil), $(nil)]");
            assertThat(c.call("TMI.FIELD", "clients", "connected_clients").toString()).isEqualTo("*[$1, $1, :1, :1, $1]");
            assertThat(c.call("TMI.FIELD", "server", "no_such_field").toString()).isEqualTo("*[$(nil), $(nil), $(nil), $(nil), $(nil)]");
        }
    }

    @Test
    void configsBehaveLikeServerParameters() {
        try (TestServer s = TestServer.start("--loadmodule", so()); RespClient c = s.client()) {
            assertThat(c.call("CONFIG", "GET", "tminfo.*").toString()).isEqualTo("*[$tminfo.bool, $yes, $tminfo.memory, $1024, "
                    + "$tminfo.numeric, $-1, $tminfo.string, $secret password, $tminfo.enum, $one, $tminfo.flags, $one two, "
                    + "$tminfo.immutable, $no]");
            assertThat(c.call("CONFIG", "SET", "tminfo.bool", "no").toString()).isEqualTo("+OK");
            assertThat(c.call("CONFIG", "GET", "tminfo.bool").toString()).isEqualTo("*[$tminfo.bool, $no]");
            assertThat(c.call("CONFIG", "SET", "tminfo.memory", "1mb").toString()).isEqualTo("+OK");
            assertThat(c.call("CONFIG", "GET", "tminfo.memory").toString()).isEqualTo("*[$tminfo.memory, $1048576]");
            assertThat(c.call("CONFIG", "SET", "tminfo.memory", "200gb").toString()).isEqualTo(
                    "-ERR CONFIG SET failed (possibly related to argument 'tminfo.memory') - argument must be between 0 and 3000000000 inclusive");
            assertThat(c.call("CONFIG", "SET", "tminfo.memory", "-5").toString()).endsWith("argument must be a memory value");
            assertThat(c.call("CONFIG", "SET", "tminfo.numeric", "x").toString()).endsWith("argument couldn't be parsed into an integer");
            assertThat(c.call("CONFIG", "SET", "tminfo.enum", "asdf").toString())
                    .endsWith("argument(s) must be one of the following: one, two, three");
            assertThat(c.call("CONFIG", "SET", "tminfo.enum", "three").toString()).isEqualTo("+OK");
            assertThat(c.call("CONFIG", "GET", "tminfo.enum").toString()).isEqualTo("*[$tminfo.enum, $three]");
            c.call("CONFIG", "SET", "tminfo.flags", "none");
            assertThat(c.call("CONFIG", "GET", "tminfo.flags").toString()).isEqualTo("*[$tminfo.flags, $none]");
            c.call("CONFIG", "SET", "tminfo.flags", "one four");
            assertThat(c.call("CONFIG", "GET", "tminfo.flags").toString()).isEqualTo("*[$tminfo.flags, $five]");
            c.call("CONFIG", "SET", "tminfo.flags", "one two four");
            assertThat(c.call("CONFIG", "GET", "tminfo.flags").toString()).isEqualTo("*[$tminfo.flags, $five two]");
            assertThat(c.call("CONFIG", "SET", "tminfo.string", "reject").toString())
                    .isEqualTo("-ERR CONFIG SET failed (possibly related to argument 'tminfo.string') - Cannot set string to 'reject'");
            assertThat(c.call("CONFIG", "SET", "tminfo.immutable", "yes").toString()).endsWith("can't set immutable config");
            // The apply callback refuses equal values: both are put back.
            assertThat(c.call("CONFIG", "SET", "tminfo.memory", "7", "tminfo.numeric", "7").toString())
                    .endsWith("These configs cannot equal each other.");
            assertThat(c.call("CONFIG", "GET", "tminfo.memory").toString()).isEqualTo("*[$tminfo.memory, $1048576]");
            assertThat(c.call("CONFIG", "GET", "tminfo.numeric").toString()).isEqualTo("*[$tminfo.numeric, $-1]");
            assertThat(c.call("TMI.LATE").toString()).isEqualTo("+OK");
        }
    }

    @Test
    void configFileLoadexAndUnload() {
        try (TestServer s = TestServer.start("--enable-module-command", "yes", "--loadmodule", so(),
                "--tminfo.string", "from the command line", "--tminfo.immutable", "yes"); RespClient c = s.client()) {
            assertThat(c.call("CONFIG", "GET", "tminfo.string").toString()).isEqualTo("*[$tminfo.string, $from the command line]");
            assertThat(c.call("CONFIG", "GET", "tminfo.immutable").toString()).isEqualTo("*[$tminfo.immutable, $yes]");
            assertThat(c.call("MODULE", "UNLOAD", "tminfo").toString()).isEqualTo("+OK");
            assertThat(c.call("CONFIG", "GET", "tminfo.*").toString()).isEqualTo("*[]");
            assertThat(c.call("MODULE", "LOADEX", so(), "CONFIG", "tminfo.memory", "2mb", "CONFIG", "tminfo.enum", "two")
                    .toString()).isEqualTo("+OK");
            assertThat(c.call("CONFIG", "GET", "tminfo.memory").toString()).isEqualTo("*[$tminfo.memory, $2097152]");
            assertThat(c.call("CONFIG", "GET", "tminfo.enum").toString()).isEqualTo("*[$tminfo.enum, $two]");
            assertThat(c.call("CONFIG", "GET", "tminfo.string").toString()).isEqualTo("*[$tminfo.string, $secret password]");
            assertThat(c.call("MODULE", "UNLOAD", "tminfo").toString()).isEqualTo("+OK");
            // A value the module refuses, or a config it does not have, fails the load.
            assertThat(c.call("MODULE", "LOADEX", so(), "CONFIG", "tminfo.string", "reject").toString())
                    .isEqualTo("-ERR Error loading the extension. Please check the server logs.");
            assertThat(c.call("MODULE", "LOADEX", so(), "CONFIG", "tminfo.nope", "1").toString())
                    .isEqualTo("-ERR Error loading the extension. Please check the server logs.");
            // A module that registers configs without loading them is unloaded again.
            assertThat(c.call("MODULE", "LOAD", so(), "noload").toString())
                    .isEqualTo("-ERR Error loading the extension. Please check the server logs.");
            assertThat(c.call("MODULE", "LIST").toString()).isEqualTo("*[]");
        }
    }
}
