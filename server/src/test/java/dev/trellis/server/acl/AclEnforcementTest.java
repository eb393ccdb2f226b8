package dev.trellis.server.acl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a client of a restricted user sees: NOPERM errors, the ACL log, AUTH, disconnections. */
class AclEnforcementTest {
    private static TestServer server;
    private static RespClient admin;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.client();
    }

    @AfterAll
    static void stop() {
        admin.close();
        server.close();
    }

    @BeforeEach
    void clean() {
        for (RespValue u : admin.call("ACL", "USERS").items()) {
            if (!u.text().equals("default")) {
                admin.call("ACL", "DELUSER", u.text());
            }
        }
        admin.call("ACL", "SETUSER", "default", "reset", "on", "nopass", "~*", "&*", "+@all");
        admin.call("ACL", "LOG", "RESET");
        admin.call("FLUSHALL");
    }

    private static RespClient as(String user, String... rules) {
        String[] args = new String[rules.length + 5];
        args[0] = "ACL";
        args[1] = "SETUSER";
        args[2] = user;
        args[3] = "on";
        args[4] = ">pw";
        System.arraycopy(rules, 0, args, 5, rules.length);
        assertThat(admin.call(args).text()).isEqualTo("OK");
        RespClient c = server.client();
        assertThat(c.call("AUTH", user, "pw").text()).isEqualTo("OK");
        return c;
    }

    @Test
    void commandsKeysAndChannelsAreChecked() {
        try (RespClient c = as("carol", "~k*", "%R~ro*", "&ch*", "+get", "+set", "+publish", "+subscribe")) {
            assertThat(c.call("SET", "k1", "v").text()).isEqualTo("OK");
            assertThat(c.call("GET", "k1").text()).isEqualTo("v");
            assertThat(c.call("GET", "x").text()).isEqualTo("NOPERM No permissions to access a key");
            assertThat(c.call("GET", "ro1").isNull()).isTrue();
            assertThat(c.call("SET", "ro1", "v").text()).isEqualTo("NOPERM No permissions to access a key");
            assertThat(c.call("DEL", "k1").text()).isEqualTo("NOPERM User carol has no permissions to run the 'del' command");
            assertThat(c.call("PUBLISH", "ch1", "m").asLong()).isZero();
            assertThat(c.call("PUBLISH", "news", "m").text()).isEqualTo("NOPERM No permissions to access a channel");
            assertThat(c.call("ACL", "WHOAMI").text()).isEqualTo("NOPERM User carol has no permissions to run the 'acl|whoami' command");
            // Commands that need no authentication are never refused.
            assertThat(c.call("AUTH", "carol", "pw").text()).isEqualTo("OK");
        }
    }

    @Test
    void selectorsAddAlternativePermissions() {
        try (RespClient c = as("s", "+get", "~a*", "(+set ~b*)")) {
            assertThat(c.call("GET", "a1").isNull()).isTrue();
            assertThat(c.call("SET", "b1", "v").text()).isEqualTo("OK");
            assertThat(c.call("SET", "a1", "v").text()).isEqualTo("NOPERM No permissions to access a key");
            assertThat(c.call("GET", "b1").text()).isEqualTo("NOPERM No permissions to access a key");
        }
    }

    @Test
    void firstArgumentsAndSubcommandsCanBeAllowedAlone() {
        try (RespClient c = as("f", "+select|0", "+config|get", "allkeys")) {
            assertThat(c.call("SELECT", "0").text()).isEqualTo("OK");
            assertThat(c.call("SELECT", "1").text()).isEqualTo("NOPERM User f has no permissions to run the 'select' command");
            assertThat(c.call("CONFIG", "GET", "port").items()).hasSize(2);
            assertThat(c.call("CONFIG", "SET", "port", "1").text())
                    .isEqualTo("NOPERM User f has no permissions to run the 'config|set' command");
        }
    }

    @Test
    void deniedCommandInMultiAbortsTheTransaction() {
        try (RespClient c = as("m", "+multi", "+exec", "+get", "allkeys")) {
            c.call("MULTI");
            assertThat(c.call("SET", "a", "1").text()).startsWith("NOPERM");
            assertThat(c.call("EXEC").text()).startsWith("EXECABORT");
            Map<String, String> e = entry(admin.call("ACL", "LOG").items().get(0));
            assertThat(e).containsEntry("context", "multi").containsEntry("object", "set");
        }
    }

    @Test
    void execChecksQueuedCommandsAgainstTheRulesOfTheMoment() {
        try (RespClient c = as("tx", "+multi", "+exec", "+get", "+set", "allkeys")) {
            c.call("MULTI");
            assertThat(c.call("SET", "a", "1").text()).isEqualTo("QUEUED");
            assertThat(c.call("GET", "a").text()).isEqualTo("QUEUED");
            admin.call("ACL", "SETUSER", "tx", "-set");
            RespValue r = c.call("EXEC");
            assertThat(r.items().get(0).text()).isEqualTo("NOPERM ACLs rules changed between the moment the "
                    + "transaction was accumulated and the EXEC call. This command is no longer allowed for the "
                    + "following reason: no permission to execute the command or subcommand");
            assertThat(r.items().get(1).isNull()).isTrue();
        }
        assertThat(entry(admin.call("ACL", "LOG").items().get(0))).containsEntry("context", "multi");
    }

    @Test
    void infoCountsDenials() {
        String before = admin.call("INFO", "stats").text();
        try (RespClient c = as("counted", "+get")) {
            c.call("SET", "a", "1");
            c.call("GET", "a");
        }
        String after = admin.call("INFO", "stats").text();
        assertThat(stat(after, "acl_access_denied_cmd")).isEqualTo(stat(before, "acl_access_denied_cmd") + 1);
        assertThat(stat(after, "acl_access_denied_key")).isEqualTo(stat(before, "acl_access_denied_key") + 1);
    }

    private static long stat(String info, String name) {
        for (String line : info.split("\r\n")) {
            if (line.startsWith(name + ":")) {
                return Long.parseLong(line.substring(name.length() + 1));
            }
        }
        throw new AssertionError(name + " missing");
    }

    @Test
    void helloUsesItsLastAuthPair() {
        admin.call("ACL", "SETUSER", "h1", "on", ">p", "+@all");
        try (RespClient c = server.client()) {
            assertThat(c.call("HELLO", "2", "AUTH", "h1", "wrong", "AUTH", "h1", "p").isError()).isFalse();
            assertThat(c.call("ACL", "WHOAMI").text()).isEqualTo("h1");
            c.call("CLIENT", "SETNAME", "before");
            assertThat(c.call("HELLO", "2", "AUTH", "h1", "p", "AUTH", "h1", "wrong", "SETNAME", "after").text())
                    .startsWith("WRONGPASS");
            assertThat(c.call("CLIENT", "GETNAME").text()).isEqualTo("before");
        }
    }

    @Test
    void sortPatternsNeedReadAccessToEveryKey() {
        admin.call("RPUSH", "mylist", "1");
        try (RespClient c = as("sorter", "+sort", "~mylist", "~v*")) {
            assertThat(c.call("SORT", "mylist", "BY", "v*").text())
                    .isEqualTo("ERR BY option of SORT denied due to insufficient ACL permissions.");
            assertThat(c.call("SORT", "mylist", "GET", "#").text())
                    .isEqualTo("ERR GET option of SORT denied due to insufficient ACL permissions.");
            assertThat(c.call("SORT", "mylist", "BY", "nosort").items()).hasSize(1);
            assertThat(c.call("SORT", "mylist", "STORE", "other").text()).isEqualTo("NOPERM No permissions to access a key");
            admin.call("ACL", "SETUSER", "sorter", "%R~*");
            assertThat(c.call("SORT", "mylist", "BY", "v*").items()).hasSize(1);
        }
    }

    @Test
    void aBlockedCommandIsCheckedAgainWhenServed() throws Exception {
        RespClient c = as("blocker", "+blpop", "allkeys");
        c.send("BLPOP".getBytes(), "list1".getBytes(), "0".getBytes());
        for (int i = 0; i < 100 && !admin.call("CLIENT", "LIST").text().contains("cmd=blpop"); i++) {
            Thread.sleep(10);
        }
        admin.call("ACL", "SETUSER", "blocker", "resetkeys");
        admin.call("LPUSH", "list1", "foo");
        assertThat(c.read().text()).isEqualTo("NOPERM No permissions to access a key");
        assertThat(admin.call("LLEN", "list1").asLong()).isEqualTo(1);
        c.close();
    }

    @Test
    void denialsAreLoggedAndGrouped() {
        try (RespClient c = as("logged", "+get", "~k*")) {
            c.call("GET", "x1");
            c.call("GET", "x1");
            c.call("DEL", "k");
        }
        RespValue log = admin.call("ACL", "LOG");
        assertThat(log.items()).hasSize(2);
        Map<String, String> cmd = entry(log.items().get(0));
        assertThat(cmd).containsEntry("count", "1").containsEntry("reason", "command").containsEntry("context", "toplevel")
                .containsEntry("object", "del").containsEntry("username", "logged");
        assertThat(cmd.get("client-info")).contains("cmd=del").contains("user=logged");
        Map<String, String> key = entry(log.items().get(1));
        assertThat(key).containsEntry("count", "2").containsEntry("reason", "key").containsEntry("object", "x1");
        assertThat(Long.parseLong(key.get("entry-id"))).isLessThan(Long.parseLong(cmd.get("entry-id")));
        assertThat(admin.call("ACL", "LOG", "1").items()).hasSize(1);
        admin.call("ACL", "LOG", "RESET");
        assertThat(admin.call("ACL", "LOG").items()).isEmpty();
    }

    @Test
    void authFailuresAreWrongpassAndLogged() {
        admin.call("ACL", "SETUSER", "off-user", "off", ">pw", "+@all");
        try (RespClient c = server.client()) {
            String wrong = "WRONGPASS invalid username-password pair or user is disabled.";
            assertThat(c.call("AUTH", "nobody", "x").text()).isEqualTo(wrong);
            assertThat(c.call("AUTH", "off-user", "pw").text()).isEqualTo(wrong);
            assertThat(c.call("HELLO", "3", "AUTH", "nobody", "x").text()).isEqualTo(wrong);
            assertThat(c.call("AUTH", "x").text()).startsWith("ERR AUTH <password> called without any password configured");
        }
        Map<String, String> e = entry(admin.call("ACL", "LOG").items().get(0));
        assertThat(e).containsEntry("reason", "auth").containsEntry("object", "HELLO").containsEntry("username", "nobody");
    }

    @Test
    void requirepassIsTheDefaultUsersPassword() {
        admin.call("CONFIG", "SET", "requirepass", "secret");
        try (RespClient c = server.client()) {
            assertThat(c.call("GET", "x").text()).isEqualTo("NOAUTH Authentication required.");
            assertThat(c.call("AUTH", "bad").text()).startsWith("WRONGPASS");
            assertThat(c.call("AUTH", "secret").text()).isEqualTo("OK");
            assertThat(admin.call("ACL", "GETUSER", "default").items().get(3).items()).hasSize(1);
        } finally {
            admin.call("CONFIG", "SET", "requirepass", "");
        }
        assertThat(admin.call("ACL", "LIST").items().get(0).text()).isEqualTo("user default on nopass sanitize-payload ~* &* +@all");
        try (RespClient c = server.client()) {
            assertThat(c.call("HELLO", "2", "AUTH", "default", "anything").isError()).isFalse();
        }
    }

    @Test
    void clientsOfDeletedUsersAreClosedAndClientListShowsTheUser() {
        RespClient c = as("gone", "+@all", "allkeys");
        assertThat(admin.call("CLIENT", "LIST").text()).contains("user=gone");
        assertThat(admin.call("ACL", "DELUSER", "gone").asLong()).isEqualTo(1);
        assertThat(c.isClosedByServer()).isTrue();
        c.close();
    }

    @Test
    void subscribersLosingTheirChannelAreClosed() {
        RespClient c = as("sub", "+subscribe", "&news");
        c.send("SUBSCRIBE".getBytes(), "news".getBytes());
        c.read();
        admin.call("ACL", "SETUSER", "sub", "&news2");
        assertThat(admin.call("CLIENT", "LIST").text()).contains("user=sub");
        admin.call("ACL", "SETUSER", "sub", "resetchannels", "&other");
        assertThat(c.isClosedByServer()).isTrue();
        c.close();
    }

    @Test
    void unrestrictedUsersAreMarkedSoTheDispatcherSkipsChecks() {
        Acl acl = server.server().acl();
        assertThat(acl.defaultUser().unrestricted).isTrue();
        admin.call("ACL", "SETUSER", "default", "-debug");
        assertThat(acl.defaultUser().unrestricted).isFalse();
        admin.call("ACL", "SETUSER", "default", "+@all");
        assertThat(acl.defaultUser().unrestricted).isTrue();
        admin.call("ACL", "SETUSER", "default", "resetchannels");
        assertThat(acl.defaultUser().unrestricted).isFalse();
    }

    static Map<String, String> entry(RespValue map) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < map.items().size(); i += 2) {
            m.put(map.items().get(i).text(), map.items().get(i + 1).text());
        }
        return m;
    }
}
