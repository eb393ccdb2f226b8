package dev.trellis.server.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aclfile (ACL SAVE / ACL LOAD, loading at startup) and user lines in the configuration. */
class AclFileTest {
    @TempDir
    Path dir;

    @Test
    void saveThenLoadRoundTrips() throws Exception {
        Path file = dir.resolve("users.acl");
        Files.writeString(file, "user default on nopass ~* &* +@all\nuser alice on >pw ~k* +get\n");
        TestServer s = TestServer.start("--aclfile", file.toString());
        try (RespClient c = s.client()) {
            assertThat(c.call("ACL", "LIST").items().get(0).text()).isEqualTo("user alice on sanitize-payload #"
                    + PasswordHash.of("pw") + " ~k* resetchannels -@all +get");
            try (RespClient alice = s.client()) {
                assertThat(alice.call("AUTH", "alice", "pw").text()).isEqualTo("OK");
            }
            c.call("ACL", "SETUSER", "bob", "on", "nopass", "(+set ~b*)");
            assertThat(c.call("ACL", "SAVE").text()).isEqualTo("OK");
            assertThat(Files.readString(file)).isEqualTo("user alice on sanitize-payload #" + PasswordHash.of("pw")
                    + " ~k* resetchannels -@all +get\n"
                    + "user bob on nopass sanitize-payload resetchannels -@all (~b* resetchannels -@all +set)\n"
                    + "user default on nopass sanitize-payload ~* &* +@all\n");
            // A user whose definition disappears is closed on LOAD; the others follow their new rules.
            RespClient bob = s.client();
            assertThat(bob.call("AUTH", "bob", "x").text()).isEqualTo("OK");
            Files.writeString(file, "user alice on >pw ~* +@all\n");
            assertThat(c.call("ACL", "LOAD").text()).isEqualTo("OK");
            assertThat(c.call("ACL", "USERS").toString()).isEqualTo("*[$alice, $default]");
            assertThat(bob.isClosedByServer()).isTrue();
            bob.close();
        } finally {
            s.close();
        }
    }

    @Test
    void badFilesChangeNothing() throws Exception {
        Path file = dir.resolve("users.acl");
        Files.writeString(file, "user alice on >pw +get\n");
        TestServer s = TestServer.start("--aclfile", file.toString());
        try (RespClient c = s.client()) {
            Files.writeString(file, "user alice on +nosuch\nbogus line\nuser bob on %Q~x\n");
            assertThat(c.call("ACL", "LOAD").text()).isEqualTo("ERR " + file + ":1: Error in applying operation "
                    + "'+nosuch': Unknown command or category name in ACL. " + file + ":2 should start with user "
                    + "keyword followed by the username. " + file + ":3: Syntax error. WARNING: ACL errors detected, "
                    + "no change to the previously active ACL rules was performed");
            assertThat(c.call("ACL", "USERS").toString()).isEqualTo("*[$alice, $default]");
            Files.delete(file);
            assertThat(c.call("ACL", "LOAD").text()).isEqualTo("ERR Error loading ACLs, opening file '" + file
                    + "': No such file or directory");
        } finally {
            s.close();
        }
        TestServer plain = TestServer.start();
        try (RespClient c = plain.client()) {
            assertThat(c.call("ACL", "SAVE").text()).startsWith("ERR This Redis instance is not configured to use an ACL file.");
        } finally {
            plain.close();
        }
    }

    @Test
    void userLinesInTheConfigurationDefineUsers() throws Exception {
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, "user default on >secret ~* &* +@all\nuser worker on >w (~jobs:* +lpush)\n");
        TestServer s = TestServer.start(conf.toString());
        try (RespClient c = s.client()) {
            assertThat(c.call("PING").text()).isEqualTo("NOAUTH Authentication required.");
            assertThat(c.call("AUTH", "worker", "w").text()).isEqualTo("OK");
            assertThat(c.call("LPUSH", "jobs:1", "x").asLong()).isEqualTo(1);
            assertThat(c.call("ACL", "WHOAMI").text()).startsWith("NOPERM");
        } finally {
            s.close();
        }
        Path dup = dir.resolve("dup.conf");
        Files.writeString(dup, "user a on\nuser a off\n");
        assertThatThrownBy(() -> TestServer.start(dup.toString())).hasStackTraceContaining("Duplicate user found");
    }

    @Test
    void configRewriteWritesTheUsers() throws Exception {
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, "user worker on >w +@all ~*\n");
        TestServer s = TestServer.start(conf.toString());
        try (RespClient c = s.client()) {
            c.call("ACL", "SETUSER", "worker", "-debug");
            c.call("ACL", "SETUSER", "extra", "on", "nopass", "+get");
            assertThat(c.call("CONFIG", "REWRITE").text()).isEqualTo("OK");
        } finally {
            s.close();
        }
        String text = Files.readString(conf);
        assertThat(text).contains("user worker on sanitize-payload #" + PasswordHash.of("w") + " ~* resetchannels +@all -debug\n")
                .contains("user extra on nopass sanitize-payload resetchannels -@all +get\n")
                .contains("user default on nopass sanitize-payload ~* &* +@all\n");
        assertThat(text.split("user worker", -1)).hasSize(2);
    }
}
