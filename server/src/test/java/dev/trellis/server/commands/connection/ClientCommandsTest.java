package dev.trellis.server.commands.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClientCommandsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** CLIENT LIST/INFO line as field -> value, in order. */
    static Map<String, String> fields(String line) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : line.strip().split(" ")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    @Test
    void idNameAndInfo() {
        try (RespClient c = server.client()) {
            long id = c.call("CLIENT", "ID").asLong();
            assertThat(c.call("CLIENT", "GETNAME").isNull()).isTrue();
            assertThat(c.call("CLIENT", "SETNAME", "worker-1").text()).isEqualTo("OK");
            assertThat(c.call("CLIENT", "GETNAME").text()).isEqualTo("worker-1");
            assertThat(c.call("CLIENT", "SETNAME", "a b").text())
                    .isEqualTo("ERR Client names cannot contain spaces, newlines or special characters.");
            c.call("SELECT", "3");
            String info = c.call("CLIENT", "INFO").text();
            assertThat(info).endsWith("\n");
            Map<String, String> f = fields(info);
            assertThat(f.keySet()).containsExactly("id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db",
                    "sub", "psub", "ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs", "rbp", "obl",
                    "oll", "omem", "tot-mem", "events", "cmd", "user", "redir", "resp", "lib-name", "lib-ver");
            assertThat(f.get("id")).isEqualTo(Long.toString(id));
            assertThat(f.get("name")).isEqualTo("worker-1");
            assertThat(f.get("db")).isEqualTo("3");
            assertThat(f.get("flags")).isEqualTo("N");
            assertThat(f.get("cmd")).isEqualTo("client|info");
            assertThat(f.get("user")).isEqualTo("default");
            assertThat(f.get("multi")).isEqualTo("-1");
            assertThat(f.get("resp")).isEqualTo("2");
            assertThat(f.get("laddr")).isEqualTo("127.0.0.1:" + server.port());
            assertThat(f.get("argv-mem")).isEqualTo("10"); // "client" + "info"
            assertThat(f.get("qbuf")).isEqualTo("26"); // the request being run is still in the buffer
            assertThat(c.call("CLIENT", "SETNAME", "").text()).isEqualTo("OK");
            assertThat(c.call("CLIENT", "GETNAME").isNull()).isTrue();
        }
    }

    @Test
    void listWithFilters() {
        try (RespClient a = server.client(); RespClient b = server.client()) {
            long ida = a.call("CLIENT", "ID").asLong();
            long idb = b.call("CLIENT", "ID").asLong();
            b.call("CLIENT", "SETNAME", "bee");
            String all = a.call("CLIENT", "LIST").text();
            assertThat(all.split("\n")).anyMatch(l -> l.startsWith("id=" + ida + " "))
                    .anyMatch(l -> l.startsWith("id=" + idb + " ") && l.contains(" name=bee ") && l.contains(" cmd=client|setname "));
            String one = a.call("CLIENT", "LIST", "ID", Long.toString(idb), "999999").text();
            assertThat(one.split("\n")).hasSize(1);
            assertThat(one).startsWith("id=" + idb + " ");
            assertThat(a.call("CLIENT", "LIST", "TYPE", "normal").text()).contains("id=" + ida + " ");
            assertThat(a.call("CLIENT", "LIST", "TYPE", "pubsub").text()).isEmpty();
            assertThat(a.call("CLIENT", "LIST", "TYPE", "replica").text()).isEmpty();
            assertThat(a.call("CLIENT", "LIST", "TYPE", "foo").text()).isEqualTo("ERR Unknown client type 'foo'");
            assertThat(a.call("CLIENT", "LIST", "ID", "x").text()).isEqualTo("ERR Invalid client ID");
            assertThat(a.call("CLIENT", "LIST", "foo").text()).isEqualTo("ERR syntax error");
        }
    }

    @Test
    void killByIdAddrAndOldForm() {
        try (RespClient a = server.client(); RespClient b = server.client(); RespClient d = server.client()) {
            long idb = b.call("CLIENT", "ID").asLong();
            assertThat(a.call("CLIENT", "KILL", "ID", Long.toString(idb)).asLong()).isEqualTo(1);
            assertThat(b.isClosedByServer()).isTrue();
            String addr = fields(d.call("CLIENT", "INFO").text()).get("addr");
            assertThat(a.call("CLIENT", "KILL", addr).text()).isEqualTo("OK");
            assertThat(d.isClosedByServer()).isTrue();
            assertThat(a.call("CLIENT", "KILL", "1.2.3.4:5").text()).isEqualTo("ERR No such client");
            assertThat(a.call("CLIENT", "KILL", "ID", "0").text()).isEqualTo("ERR client-id should be greater than 0");
            assertThat(a.call("CLIENT", "KILL", "TYPE", "foo", "x").text()).isEqualTo("ERR Unknown client type 'foo'");
            assertThat(a.call("CLIENT", "KILL", "ID", "1", "TYPE").text()).isEqualTo("ERR syntax error");
            assertThat(a.call("CLIENT", "KILL", "USER", "nobody").text()).isEqualTo("ERR No such user 'nobody'");
            assertThat(a.call("CLIENT", "KILL", "SKIPME", "maybe", "ID", "1").text()).isEqualTo("ERR syntax error");
            assertThat(a.call("PING").text()).isEqualTo("PONG");
        }
    }

    @Test
    void killFiltersCombineAndSkipMe() {
        try (RespClient a = server.client(); RespClient b = server.client()) {
            b.call("PING");
            String laddr = "127.0.0.1:" + server.port();
            // SKIPME yes (the default) spares the caller even though every filter matches it.
            long killed = a.call("CLIENT", "KILL", "LADDR", laddr, "USER", "default", "TYPE", "normal").asLong();
            assertThat(killed).isGreaterThanOrEqualTo(1);
            assertThat(b.isClosedByServer()).isTrue();
            assertThat(a.call("PING").text()).isEqualTo("PONG");
            assertThat(a.call("CLIENT", "KILL", "MAXAGE", "100000").asLong()).isZero();
            long me = a.call("CLIENT", "ID").asLong();
            RespValue self = a.call("CLIENT", "KILL", "ID", Long.toString(me), "SKIPME", "no");
            assertThat(self.asLong()).isEqualTo(1); // the reply arrives before the close
            assertThat(a.isClosedByServer()).isTrue();
        }
    }

    @Test
    void replyOffSkipOn() {
        try (RespClient c = server.client()) {
            c.send(b("CLIENT"), b("REPLY"), b("OFF"));
            c.send(b("SET"), b("r"), b("1"));
            c.send(b("CLIENT"), b("REPLY"), b("ON"));
            assertThat(c.read().text()).isEqualTo("OK");
            c.send(b("CLIENT"), b("REPLY"), b("SKIP"));
            c.send(b("GET"), b("r"));
            c.send(b("ECHO"), b("after"));
            assertThat(c.read().text()).isEqualTo("after");
            assertThat(c.call("GET", "r").text()).isEqualTo("1");
            assertThat(c.call("CLIENT", "REPLY", "foo").text()).isEqualTo("ERR syntax error");
            c.call("DEL", "r");
        }
    }

    @Test
    void noEvictAndNoTouchFlags() {
        try (RespClient c = server.client()) {
            assertThat(c.call("CLIENT", "NO-EVICT", "on").text()).isEqualTo("OK");
            assertThat(c.call("CLIENT", "NO-TOUCH", "on").text()).isEqualTo("OK");
            assertThat(fields(c.call("CLIENT", "INFO").text()).get("flags")).isEqualTo("eT");
            assertThat(c.call("CLIENT", "NO-EVICT", "off").text()).isEqualTo("OK");
            assertThat(c.call("CLIENT", "NO-TOUCH", "maybe").text()).isEqualTo("ERR syntax error");
            assertThat(fields(c.call("CLIENT", "INFO").text()).get("flags")).isEqualTo("T");
            c.call("CLIENT", "NO-TOUCH", "off");
        }
    }

    @Test
    void noTouchKeepsTheAccessTime() throws Exception {
        server.server().config().find("enable-debug-command").set("yes");
        try (RespClient c = server.client()) {
            c.call("SET", "idle", "v");
            c.call("DEBUG", "SLEEP", "1.1");
            c.call("CLIENT", "NO-TOUCH", "on");
            c.call("GET", "idle");
            assertThat(c.call("DEBUG", "OBJECT", "idle").text()).matches(".* lru_seconds_idle:[1-9]\\d*");
            c.call("CLIENT", "NO-TOUCH", "off");
            c.call("GET", "idle");
            assertThat(c.call("DEBUG", "OBJECT", "idle").text()).endsWith(" lru_seconds_idle:0");
            c.call("DEL", "idle");
        } finally {
            server.server().config().find("enable-debug-command").set("no");
        }
    }

    @Test
    void pauseWritesHoldsWritersNotReaders() throws Exception {
        try (RespClient admin = server.client(); RespClient writer = server.client(); RespClient reader = server.client()) {
            assertThat(admin.call("CLIENT", "PAUSE", "5000", "WRITE").text()).isEqualTo("OK");
            // Its own thread: the common pool may be busy with other tests' work.
            java.util.concurrent.ExecutorService thread = java.util.concurrent.Executors.newSingleThreadExecutor();
            CompletableFuture<RespValue> set = CompletableFuture.supplyAsync(() -> writer.call("SET", "paused", "1"), thread);
            thread.shutdown();
            assertThat(reader.call("GET", "paused").isNull()).isTrue();
            Thread.sleep(200);
            assertThat(set).isNotDone();
            assertThat(admin.call("CLIENT", "UNPAUSE").text()).isEqualTo("OK");
            assertThat(set.get(5, TimeUnit.SECONDS).text()).isEqualTo("OK");
            assertThat(reader.call("GET", "paused").text()).isEqualTo("1");
            reader.call("DEL", "paused");
        }
    }

    @Test
    void pauseAllHoldsEveryCommandUntilItExpires() throws Exception {
        try (RespClient admin = server.client(); RespClient other = server.client()) {
            long start = System.nanoTime();
            admin.call("CLIENT", "PAUSE", "300", "ALL");
            // A pipeline: both commands wait, then run in order.
            other.send(b("PING"));
            other.send(b("ECHO"), b("second"));
            assertThat(other.read().text()).isEqualTo("PONG");
            assertThat(other.read().text()).isEqualTo("second");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(250);
        }
    }

    @Test
    void pauseErrors() {
        try (RespClient c = server.client()) {
            assertThat(c.call("CLIENT", "PAUSE", "abc").text()).isEqualTo("ERR timeout is not an integer or out of range");
            assertThat(c.call("CLIENT", "PAUSE", "-1").text()).isEqualTo("ERR timeout is negative");
            assertThat(c.call("CLIENT", "PAUSE", "10", "foo").text()).isEqualTo("ERR CLIENT PAUSE mode must be WRITE or ALL");
        }
    }

    @Test
    void unblockAnswersZeroForUnblockedClients() {
        try (RespClient c = server.client(); RespClient other = server.client()) {
            long id = other.call("CLIENT", "ID").asLong();
            assertThat(c.call("CLIENT", "UNBLOCK", Long.toString(id)).asLong()).isZero();
            assertThat(c.call("CLIENT", "UNBLOCK", "999999", "ERROR").asLong()).isZero();
            assertThat(c.call("CLIENT", "UNBLOCK", "1", "foo").text()).isEqualTo("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            assertThat(c.call("CLIENT", "UNBLOCK", "abc").text()).isEqualTo("ERR value is not an integer or out of range");
        }
    }

    @Test
    void unknownSubcommandAndHelp() {
        try (RespClient c = server.client()) {
            assertThat(c.call("CLIENT", "FOO").text()).isEqualTo("ERR unknown subcommand 'FOO'. Try CLIENT HELP.");
            RespValue help = c.call("CLIENT", "HELP");
            assertThat(help.get(0).text()).isEqualTo("CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
            List<RespValue> items = help.items();
            assertThat(items.get(items.size() - 2).text()).isEqualTo("HELP");
        }
    }

    private static byte[] b(String s) {
        return s.getBytes();
    }
}
