package dev.trellis.server.acl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ACL SETUSER rules as ACL LIST, GETUSER and DRYRUN show them, and their errors. */
class AclUsersTest {
    private static TestServer server;
    private static RespClient c;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        c = server.client();
    }

    @AfterAll
    static void stop() {
        c.close();
        server.close();
    }

    @BeforeEach
    void clean() {
        for (RespValue u : c.call("ACL", "USERS").items()) {
            if (!u.text().equals("default")) {
                c.call("ACL", "DELUSER", u.text());
            }
        }
        c.call("ACL", "LOG", "RESET");
    }

    @Test
    void defaultUserAndNewUsersHaveRedisInitialRules() {
        assertThat(c.call("ACL", "LIST").toString()).isEqualTo("*[$user default on nopass sanitize-payload ~* &* +@all]");
        assertThat(c.call("ACL", "SETUSER", "bob").text()).isEqualTo("OK");
        assertThat(c.call("ACL", "LIST").items().get(0).text())
                .isEqualTo("user bob off sanitize-payload resetchannels -@all");
        assertThat(c.call("ACL", "USERS").toString()).isEqualTo("*[$bob, $default]");
        assertThat(c.call("ACL", "WHOAMI").text()).isEqualTo("default");
    }

    @Test
    void rulesAreDescribedInOrderWithSupersededOnesDropped() {
        c.call("ACL", "SETUSER", "alice", "on", ">p1", "~cached:*", "%R~r*", "%W~w*", "&news", "+get", "+@string",
                "-set", "+select|0", "+config|get", "(+set ~w*)");
        assertThat(c.call("ACL", "LIST").items().get(0).text()).isEqualTo("user alice on sanitize-payload "
                + "#" + PasswordHash.of("p1") + " ~cached:* %R~r* %W~w* resetchannels &news "
                + "-@all +get +@string -set +select|0 +config|get (~w* resetchannels -@all +set)");
        c.call("ACL", "SETUSER", "alice", "-@string", "+@all", "-get", "%W~r*", "clearselectors", "skip-sanitize-payload");
        assertThat(c.call("ACL", "LIST").items().get(0).text()).isEqualTo("user alice on skip-sanitize-payload "
                + "#" + PasswordHash.of("p1") + " ~cached:* ~r* %W~w* resetchannels &news +@all -get");
        c.call("ACL", "SETUSER", "alice", "reset");
        assertThat(c.call("ACL", "LIST").items().get(0).text()).isEqualTo("user alice off sanitize-payload resetchannels -@all");
    }

    @Test
    void getUserHasRedis7Shape() {
        c.call("ACL", "SETUSER", "u", "on", "nopass", "~a", "&c*", "+get", "(%R~x +set)");
        RespValue r = c.call("ACL", "GETUSER", "u");
        assertThat(r.toString()).isEqualTo("*[$flags, *[$on, $nopass, $sanitize-payload], $passwords, *[], "
                + "$commands, $-@all +get, $keys, $~a, $channels, $&c*, $selectors, "
                + "*[*[$commands, $-@all +set, $keys, $%R~x, $channels, $]]]");
        assertThat(c.call("ACL", "GETUSER", "nobody").isNull()).isTrue();
    }

    @Test
    void badRulesChangeNothingAndSayWhy() {
        c.call("ACL", "SETUSER", "v", "on", "~k");
        assertThat(err("ACL", "SETUSER", "v", "off", "+nosuchcommand"))
                .isEqualTo("ERR Error in ACL SETUSER modifier '+nosuchcommand': Unknown command or category name in ACL");
        assertThat(c.call("ACL", "GETUSER", "v").items().get(1).items().get(0).text()).isEqualTo("on");
        assertThat(err("ACL", "SETUSER", "v", "+@nosuch")).contains("Unknown command or category name in ACL");
        assertThat(err("ACL", "SETUSER", "v", "%X~a")).endsWith("'%X~a': Syntax error");
        assertThat(err("ACL", "SETUSER", "v", "allkeys", "~a")).endsWith("Try 'resetkeys' to start with an empty list of patterns");
        assertThat(err("ACL", "SETUSER", "v", "allchannels", "&a")).endsWith("Try 'resetchannels' to start with an empty list of channels");
        assertThat(err("ACL", "SETUSER", "v", "<nopass")).endsWith("The password you are trying to remove from the user does not exist");
        assertThat(err("ACL", "SETUSER", "v", "#abc")).endsWith("The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters");
        assertThat(err("ACL", "SETUSER", "v", "+config|get|x")).endsWith("Allowing first-arg of a subcommand is not supported");
        assertThat(err("ACL", "SETUSER", "v", "(~a", "+get")).isEqualTo("ERR Unmatched parenthesis in acl selector starting at '(~a'.");
        assertThat(err("ACL", "SETUSER", "a b")).isEqualTo("ERR Usernames can't contain spaces or null characters");
        assertThat(err("ACL", "DELUSER", "default")).isEqualTo("ERR The 'default' user cannot be removed");
        assertThat(c.call("ACL", "DELUSER", "v", "nobody").asLong()).isEqualTo(1);
    }

    @Test
    void dryRunNamesTheUserAndWhatIsRefused() {
        c.call("ACL", "SETUSER", "d", "on", "+get", "+set", "%R~r*", "%W~w*", "~rw*", "&ch", "+publish");
        assertThat(c.call("ACL", "DRYRUN", "d", "get", "r1").text()).isEqualTo("OK");
        assertThat(c.call("ACL", "DRYRUN", "d", "get", "w1").text()).isEqualTo("User d has no permissions to access the 'w1' key");
        assertThat(c.call("ACL", "DRYRUN", "d", "set", "w1", "v").text()).isEqualTo("OK");
        // SET ... GET reads the key too.
        assertThat(c.call("ACL", "DRYRUN", "d", "set", "w1", "v", "get").text()).isEqualTo("User d has no permissions to access the 'w1' key");
        assertThat(c.call("ACL", "DRYRUN", "d", "set", "rw1", "v", "get").text()).isEqualTo("OK");
        assertThat(c.call("ACL", "DRYRUN", "d", "del", "r1").text()).isEqualTo("User d has no permissions to run the 'del' command");
        assertThat(c.call("ACL", "DRYRUN", "d", "publish", "other", "m").text()).isEqualTo("User d has no permissions to access the 'other' channel");
        assertThat(err("ACL", "DRYRUN", "nobody", "get", "x")).isEqualTo("ERR User 'nobody' not found");
        assertThat(err("ACL", "DRYRUN", "d", "nocmd")).isEqualTo("ERR Command 'nocmd' not found");
        assertThat(err("ACL", "DRYRUN", "d", "get")).isEqualTo("ERR wrong number of arguments for 'get' command");
    }

    @Test
    void catListsCategoriesAndTheirCommands() {
        List<String> cats = texts(c.call("ACL", "CAT"));
        assertThat(cats).hasSize(21).startsWith("keyspace", "read", "write").endsWith("scripting");
        List<String> strings = texts(c.call("ACL", "CAT", "STRING"));
        assertThat(strings).contains("get", "set", "append").doesNotContain("lpush");
        assertThat(texts(c.call("ACL", "CAT", "dangerous"))).contains("flushall", "config|set");
        assertThat(err("ACL", "CAT", "nosuch")).isEqualTo("ERR Unknown category 'nosuch'");
    }

    @Test
    void genpassGivesHexOfTheRequestedBits() {
        assertThat(c.call("ACL", "GENPASS").text()).matches("[0-9a-f]{64}");
        assertThat(c.call("ACL", "GENPASS", "5").text()).matches("[0-9a-f]{2}");
        assertThat(err("ACL", "GENPASS", "0")).isEqualTo("ERR ACL GENPASS argument must be the number of bits for "
                + "the output password, a positive number up to 4096");
        assertThat(err("ACL", "GENPASS", "x")).isEqualTo("ERR value is not an integer or out of range");
    }

    private static String err(String... args) {
        RespValue r = c.call(args);
        assertThat(r.isError()).as("%s is an error", r).isTrue();
        return r.text();
    }

    static List<String> texts(RespValue v) {
        List<String> out = new ArrayList<>();
        for (RespValue i : v.items()) {
            out.add(i.text());
        }
        return out;
    }
}
