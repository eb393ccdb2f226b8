package dev.trellis.server.commands.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandsTest {
    @TempDir
    Path dir;

    private static List<String> flat(RespValue v) {
        List<String> out = new ArrayList<>();
        for (RespValue i : v.items()) {
            out.add(i.text());
        }
        return out;
    }

    @Test
    void getGlobsAliasesAndExactNames() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            assertThat(flat(c.call("CONFIG", "GET", "Maxmemory"))).containsExactly("Maxmemory", "0");
            assertThat(flat(c.call("CONFIG", "GET", "maxmemory*", "maxmemory")))
                    .contains("maxmemory", "maxmemory-policy", "maxmemory-samples").hasSize(2 * 5);
            assertThat(flat(c.call("CONFIG", "GET", "slave-read-only"))).containsExactly("slave-read-only", "yes");
            assertThat(flat(c.call("CONFIG", "GET", "slave-*"))).contains("slave-read-only", "slave-priority");
            assertThat(flat(c.call("CONFIG", "GET", "nosuch"))).isEmpty();
            assertThat(flat(c.call("CONFIG", "GET", "hz", "port"))).containsExactly("hz", "10", "port", Integer.toString(s.port()));
            assertThat(c.call("CONFIG", "GET").text()).isEqualTo("ERR wrong number of arguments for 'config|get' command");
        }
    }

    @Test
    void setIsAtomicWithRedisErrors() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            assertThat(c.call("CONFIG", "SET", "maxmemory", "10mb", "hz", "20").text()).isEqualTo("OK");
            assertThat(flat(c.call("CONFIG", "GET", "maxmemory"))).containsExactly("maxmemory", "10485760");
            assertThat(c.call("CONFIG", "SET", "maxmemory", "20mb", "maxmemory-policy", "foo").text())
                    .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be "
                            + "one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, "
                            + "allkeys-lfu, allkeys-random, noeviction");
            assertThat(flat(c.call("CONFIG", "GET", "maxmemory"))).containsExactly("maxmemory", "10485760");
            assertThat(c.call("CONFIG", "SET", "maxmemory", "abc").text())
                    .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value");
            assertThat(c.call("CONFIG", "SET", "hz", "1", "hz", "2").text())
                    .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter");
            assertThat(c.call("CONFIG", "SET", "daemonize", "yes").text())
                    .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config");
            assertThat(c.call("CONFIG", "SET", "port", "abc").text())
                    .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'port') - argument couldn't be parsed into an integer");
            assertThat(c.call("CONFIG", "SET", "foo", "bar").text())
                    .isEqualTo("ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
            assertThat(c.call("CONFIG", "SET", "maxmemory").text()).isEqualTo("ERR wrong number of arguments for 'config|set' command");
            assertThat(c.call("CONFIG", "SET", "dbfilename", "x.rdb").text())
                    .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config");
            assertThat(c.call("CONFIG", "SET", "maxmemory-clients", "10%").text()).isEqualTo("OK");
            assertThat(flat(c.call("CONFIG", "GET", "maxmemory-clients"))).containsExactly("maxmemory-clients", "10%");
        }
    }

    @Test
    void runtimeChangesTakeEffect() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            assertThat(c.call("CONFIG", "SET", "requirepass", "pw").text()).isEqualTo("OK");
            assertThat(c.call("PING").text()).isEqualTo("PONG"); // already connected: still authenticated
            try (RespClient other = s.client()) {
                assertThat(other.call("PING").text()).isEqualTo("NOAUTH Authentication required.");
                assertThat(other.call("AUTH", "wrong").text()).isEqualTo("WRONGPASS invalid username-password pair or user is disabled.");
                assertThat(other.call("AUTH", "pw").text()).isEqualTo("OK");
            }
            c.call("CONFIG", "SET", "requirepass", "");
            try (RespClient other = s.client()) {
                assertThat(other.call("PING").text()).isEqualTo("PONG");
            }
            assertThat(c.call("CONFIG", "SET", "maxclients", "1").text()).isEqualTo("OK");
            try (RespClient other = s.client()) {
                assertThat(other.read().text()).isEqualTo("ERR max number of clients reached");
            }
            c.call("CONFIG", "SET", "maxclients", "10000");
            assertThat(c.call("CONFIG", "SET", "hz", "100").text()).isEqualTo("OK");
            assertThat(c.call("INFO", "server").text()).contains("hz:100\r\n");
            assertThat(c.call("CONFIG", "SET", "loglevel", "verbose").text()).isEqualTo("OK");
            assertThat(dev.trellis.server.log.ServerLog.get().enabled(dev.trellis.server.log.ServerLog.VERBOSE)).isTrue();
            c.call("CONFIG", "SET", "loglevel", "warning");
            assertThat(c.call("CONFIG", "SET", "logfile", "x.log").text())
                    .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'logfile') - can't set immutable config");
        }
    }

    @Test
    void resetStatClearsCounters() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            c.call("SET", "a", "b");
            c.call("NOSUCHCOMMAND");
            assertThat(c.call("CONFIG", "RESETSTAT").text()).isEqualTo("OK");
            String info = c.call("INFO", "stats", "commandstats", "errorstats").text();
            assertThat(info).contains("total_error_replies:0\r\n").doesNotContain("cmdstat_set").doesNotContain("errorstat_");
        }
    }

    @Test
    void rewriteWithoutFile() {
        try (TestServer s = TestServer.start(); RespClient c = s.client()) {
            assertThat(c.call("CONFIG", "REWRITE").text()).isEqualTo("ERR The server is running without a config file");
        }
    }

    @Test
    void rewriteKeepsCommentsUpdatesAndAppends() throws Exception {
        Path conf = dir.resolve("redis.conf");
        Files.writeString(conf, """
                # my settings
                maxmemory 100mb

                save 900 1
                save 300 10
                slave-read-only yes
                timeout 0
                """);
        try (TestServer s = TestServer.start(conf.toString()); RespClient c = s.client()) {
            c.call("CONFIG", "SET", "maxmemory", "2gb", "save", "60 5", "hz", "15", "replica-read-only", "no",
                    "notify-keyspace-events", "KEA", "client-output-buffer-limit", "pubsub 64mb 16mb 90");
            assertThat(c.call("CONFIG", "REWRITE").text()).isEqualTo("OK");
        }
        List<String> lines = Files.readAllLines(conf);
        assertThat(lines.get(0)).isEqualTo("# my settings");
        assertThat(lines.get(1)).isEqualTo("maxmemory 2gb");
        assertThat(lines).contains("save 60 5", "replica-read-only no", "timeout 0", "# Generated by CONFIG REWRITE",
                "hz 15", "client-output-buffer-limit pubsub 64mb 16mb 90");
        assertThat(lines).anyMatch(l -> l.matches("notify-keyspace-events \"[AKE]{3}\""));
        assertThat(lines).doesNotContain("save 300 10", "save 900 1", "client-output-buffer-limit normal 0 0 0");
        assertThat(lines.indexOf("# Generated by CONFIG REWRITE")).isGreaterThan(lines.indexOf("timeout 0"));
        assertThat(lines.stream().filter(l -> l.startsWith("dir ")).findFirst()).isPresent();
        // The rewritten file starts a server with the same settings.
        try (TestServer s = TestServer.start(conf.toString()); RespClient c = s.client()) {
            assertThat(flat(c.call("CONFIG", "GET", "maxmemory", "hz", "replica-read-only")))
                    .containsExactly("maxmemory", "2147483648", "hz", "15", "replica-read-only", "no");
        }
    }
}
