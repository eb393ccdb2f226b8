package dev.trellis.server.commands.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CommandIntrospectionTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void infoHasRedisShapeResp3() {
        try (RespClient c = server.client()) {
            c.call("HELLO", "3");
            RespValue all = c.call("COMMAND", "INFO", "get", "nosuchcommand");
            assertThat(all.items()).hasSize(2);
            assertThat(all.get(1).type()).isEqualTo('_');
            RespValue get = all.get(0);
            assertThat(get.toString()).isEqualTo("*[$get, :2, ~[+readonly, +fast], :1, :1, :1, ~[+@read, +@string, +@fast], ~[], "
                    + "~[%[$flags, ~[+RO, +access], $begin_search, %[$type, $index, $spec, %[$index, :1]], "
                    + "$find_keys, %[$type, $range, $spec, %[$lastkey, :0, $keystep, :1, $limit, :0]]]], ~[]]");
        }
    }

    @Test
    void infoLegacyRangeFlagsAndSubcommands() {
        try (RespClient c = server.client()) {
            RespValue mset = c.call("COMMAND", "INFO", "mset").get(0);
            assertThat(mset.get(1).asLong()).isEqualTo(-3);
            assertThat(mset.get(2).toString()).isEqualTo("*[+write, +denyoom]");
            assertThat(List.of(mset.get(3).asLong(), mset.get(4).asLong(), mset.get(5).asLong())).containsExactly(1L, -1L, 2L);
            assertThat(mset.get(6).toString()).isEqualTo("*[+@write, +@string, +@slow]");
            RespValue config = c.call("COMMAND", "INFO", "config").get(0);
            assertThat(config.get(0).text()).isEqualTo("config");
            List<String> subs = new ArrayList<>();
            for (RespValue s : config.get(9).items()) {
                subs.add(s.get(0).text());
            }
            assertThat(subs).contains("config|get", "config|set", "config|rewrite", "config|resetstat");
            RespValue sub = c.call("COMMAND", "INFO", "config|get").get(0);
            assertThat(sub.get(0).text()).isEqualTo("config|get");
            assertThat(sub.get(6).toString()).contains("+@admin", "+@dangerous");
            assertThat(c.call("COMMAND").items()).hasSize((int) c.call("COMMAND", "COUNT").asLong());
        }
    }

    @Test
    void docsWithoutProse() {
        try (RespClient c = server.client()) {
            c.call("HELLO", "3");
            RespValue docs = c.call("COMMAND", "DOCS", "get", "nosuch");
            assertThat(docs.type()).isEqualTo('%');
            assertThat(docs.items()).hasSize(2);
            assertThat(docs.get(0).text()).isEqualTo("get");
            assertThat(docs.get(1).toString()).isEqualTo("%[$since, $1.0.0, $group, $string, $arguments, "
                    + "*[%[$name, $key, $type, $key, $display_text, $key, $key_spec_index, :0]]]");
            RespValue set = c.call("COMMAND", "DOCS", "set").get(1);
            assertThat(set.toString()).contains("$token, $NX", "$flags, ~[+optional]", "$type, $oneof");
        }
    }

    @Test
    void getKeys() {
        try (RespClient c = server.client()) {
            assertThat(c.call("COMMAND", "GETKEYS", "SET", "a", "b").toString()).isEqualTo("*[$a]");
            assertThat(c.call("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2").toString()).isEqualTo("*[$a, $b]");
            assertThat(c.call("COMMAND", "GETKEYSANDFLAGS", "MSET", "a", "1", "b", "2").toString())
                    .isEqualTo("*[*[$a, *[+OW, +update]], *[$b, *[+OW, +update]]]");
            assertThat(c.call("COMMAND", "GETKEYS", "nosuch", "a").text()).isEqualTo("ERR Invalid command specified");
            assertThat(c.call("COMMAND", "GETKEYS", "PING", "x").text()).isEqualTo("ERR The command has no key arguments");
            assertThat(c.call("COMMAND", "GETKEYS", "GET").text()).isEqualTo("ERR Invalid number of arguments specified for command");
            assertThat(c.call("COMMAND", "GETKEYS", "MSET", "a").text()).isEqualTo("ERR Invalid number of arguments specified for command");
        }
    }

    @Test
    void listAndFilters() {
        try (RespClient c = server.client()) {
            List<String> all = names(c.call("COMMAND", "LIST"));
            assertThat(all).contains("get", "set", "client|list", "config|get");
            assertThat(names(c.call("COMMAND", "LIST", "FILTERBY", "PATTERN", "client|*")))
                    .contains("client|list", "client|kill").allMatch(n -> n.startsWith("client|"));
            assertThat(names(c.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "string"))).contains("get", "set").doesNotContain("ping");
            assertThat(names(c.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuchcat"))).isEmpty();
            assertThat(names(c.call("COMMAND", "LIST", "FILTERBY", "MODULE", "nosuchmod"))).isEmpty();
            assertThat(c.call("COMMAND", "LIST", "FILTERBY", "FOO", "x").text()).isEqualTo("ERR syntax error");
            assertThat(c.call("COMMAND", "LIST", "x").text()).isEqualTo("ERR syntax error");
            assertThat(c.call("COMMAND", "FOO").text()).isEqualTo("ERR unknown subcommand 'FOO'. Try COMMAND HELP.");
        }
    }

    private static List<String> names(RespValue v) {
        List<String> out = new ArrayList<>();
        for (RespValue i : v.items()) {
            out.add(i.text());
        }
        return out;
    }
}
