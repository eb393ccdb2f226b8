package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Module users and ACL checks through native/modules/tmacl.c. */
class AclApiTest extends ModuleApiTestBase {
    @BeforeAll
    static void load() {
        start("tmacl");
        c.call("ACL", "SETUSER", "ann", "on", ">pw", "+get", "+set", "%R~r*", "~rw*", "&news*");
    }

    @AfterAll
    static void unload() {
        stop();
    }

    @Test
    void checksForANamedUser() {
        assertThat(c.call("TMA.CHECKCMD", "ann", "get", "rw1").text()).isEqualTo("OK");
        assertThat(c.call("TMA.CHECKCMD", "ann", "get", "x").text()).isEqualTo("DENIED EACCES");
        assertThat(c.call("TMA.CHECKCMD", "ann", "del", "rw1").text()).isEqualTo("DENIED EACCES");
        assertThat(c.call("TMA.CHECKCMD", "ann", "nosuch").text()).isEqualTo("DENIED ENOENT");
        assertThat(c.call("TMA.CHECKCMD", "nobody", "get", "x").text()).isEqualTo("ERR no such user");
        assertThat(c.call("TMA.CHECKKEY", "ann", "r1", "R").text()).isEqualTo("OK");
        assertThat(c.call("TMA.CHECKKEY", "ann", "r1", "W").text()).isEqualTo("DENIED");
        assertThat(c.call("TMA.CHECKKEY", "ann", "rw1", "RW").text()).isEqualTo("OK");
        assertThat(c.call("TMA.CHECKKEY", "ann", "r1", "none").text()).isEqualTo("OK");
        assertThat(c.call("TMA.CHECKKEY", "ann", "zz", "none").text()).isEqualTo("DENIED");
        assertThat(c.call("TMA.CHECKKEY", "ann", "r1", "X").text()).isEqualTo("DENIED EINVAL");
        assertThat(c.call("TMA.CHECKCHANNEL", "ann", "news.1").text()).isEqualTo("OK");
        assertThat(c.call("TMA.CHECKCHANNEL", "ann", "sport").text()).isEqualTo("DENIED");
        assertThat(c.call("TMA.CHECKCHANNEL", "ann", "news*", "pattern").text()).isEqualTo("OK");
        assertThat(c.call("TMA.CHECKCHANNEL", "ann", "news.*", "pattern").text()).isEqualTo("DENIED");
    }

    @Test
    void callsRunAsTheContextUser() {
        c.call("ACL", "LOG", "RESET");
        assertThat(c.call("TMA.CALLAS", "on +set ~k*", "set", "k1", "v").text()).isEqualTo("OK");
        assertThat(c.call("TMA.CALLAS", "on +set ~k*", "get", "k1").text())
                .isEqualTo("NOPERM User tma_user has no permissions to run the 'get' command");
        assertThat(c.call("TMA.CALLAS", "on +set ~k*", "set", "x", "v").text()).isEqualTo("NOPERM No permissions to access a key");
        assertThat(c.call("TMA.CALLAS", "+nosuch", "get", "k1").text())
                .isEqualTo("Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL");
        Map<String, String> e = entry(c.call("ACL", "LOG").items().get(0));
        assertThat(e).containsEntry("reason", "key").containsEntry("context", "module").containsEntry("object", "x")
                .containsEntry("username", "tma_user");
        assertThat(e.get("client-info")).contains("cmd=tma.callas");
        // Module users are not ACL users.
        assertThat(c.call("ACL", "USERS").toString()).doesNotContain("tma_user");
    }

    @Test
    void moduleUsersDescribeTheirRules() {
        assertThat(c.call("TMA.USERACL", "on", "+@string", "-append", "~k*").text())
                .isEqualTo("on sanitize-payload ~k* resetchannels -@all +@string -append");
        assertThat(c.call("TMA.USERACL", "bogus").text()).isEqualTo("ERR bad rule");
    }

    @Test
    void authenticatingTheCallerAndHearingWhenItChanges() {
        try (RespClient other = server.client()) {
            long before = c.call("TMA.CHANGES").asLong();
            long ownId = other.call("CLIENT", "ID").asLong();
            assertThat(other.call("TMA.AUTH", "ann").asLong()).isEqualTo(ownId);
            assertThat(other.call("ACL", "WHOAMI").text()).startsWith("NOPERM");
            assertThat(other.call("TMA.WHOAMI").text()).startsWith("NOPERM");
            assertThat(other.call("AUTH", "ann", "pw").text()).isEqualTo("OK");
            assertThat(c.call("TMA.CHANGES").asLong()).isEqualTo(before + 1);
            assertThat(other.call("TMA.AUTH", "nobody").isError()).isTrue();
        }
        assertThat(c.call("TMA.WHOAMI").text()).isEqualTo("default");
    }

    @Test
    void modulesAddLogEntries() {
        c.call("ACL", "LOG", "RESET");
        assertThat(c.call("TMA.LOG", "someone", "thekey").text()).isEqualTo("OK");
        Map<String, String> e = entry(c.call("ACL", "LOG").items().get(0));
        assertThat(e).containsEntry("reason", "key").containsEntry("context", "module")
                .containsEntry("object", "thekey").containsEntry("username", "someone");
    }

    private static Map<String, String> entry(RespValue map) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < map.items().size(); i += 2) {
            m.put(map.items().get(i).text(), map.items().get(i + 1).text());
        }
        return m;
    }
}
