package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The commands API through native/modules/tmcommands.c. */
class CommandsApiTest {
    static TestServer server;
    static RespClient c;

    @BeforeAll
    static void start() {
        server = TestServer.start("--enable-module-command", "yes");
        c = server.client();
        assertThat(c.call("MODULE", "LOAD", NativeBuild.so("modules/tmcommands.so")).toString()).isEqualTo("+OK");
    }

    @AfterAll
    static void stop() {
        c.close();
        server.close();
    }

    @Test
    void registrationOutcomesFollowRedisRules() {
        // See the numbered checks in tmcommands.c: 0 = REDISMODULE_OK, 1 = REDISMODULE_ERR.
        assertThat(c.call("TMC.CHECKS").toString()).isEqualTo("*[:0, :1, :1, :1, :1, :1, :0, :1, :0, :0, :0, :0, :0, :0, "
                + ":0, :0, :1, :0, :1, :1, :0, :0, :0, :0, :1, :1, :0, :1, :0, :0, :0, :0, :0, :0]");
        assertThat(c.call("TMC.LATE").toString()).isEqualTo(":1");
        assertThat(c.call("TMC.LATE2").isError()).isTrue();
    }

    @Test
    void commandsRunWithTheirNameAndArguments() {
        assertThat(c.call("TMC.ECHO", "a", "b").toString()).isEqualTo("*[$tmc.echo, :3]");
        assertThat(c.call("tmc.container", "GET", "k").toString()).isEqualTo("*[$tmc.container|get, :3]");
        assertThat(c.call("tmc.container", "nosuch").toString())
                .isEqualTo("-ERR unknown subcommand 'nosuch'. Try TMC.CONTAINER HELP.");
        assertThat(c.call("tmc.container").toString())
                .isEqualTo("-ERR wrong number of arguments for 'tmc.container' command");
        assertThat(c.call("tmc.arity", "x").toString()).isEqualTo("$x");
        assertThat(c.call("tmc.arity", "x", "y").toString())
                .isEqualTo("-ERR wrong number of arguments for 'tmc.arity' command");
        // SetCommandInfo's arity -2 is checked before the module runs.
        assertThat(c.call("tmc.info").toString()).isEqualTo("-ERR wrong number of arguments for 'tmc.info' command");
        assertThat(c.call("tmc.getkeys", "KEYS", "a").toString()).isEqualTo("+EXECUTED");
    }

    @Test
    void keyPositionsFromLegacyRangeKeySpecsAndGetkeysApi() {
        int rwAccessUpdate = 2 | 16 | 32;
        assertThat(c.call("tmc.keysof", "tmc.keys", "a", "1", "b", "2").toString())
                .isEqualTo("*[*[:1, :" + rwAccessUpdate + "], *[:3, :" + rwAccessUpdate + "]]");
        assertThat(c.call("tmc.keysof", "tmc.getkeys", "x", "KEYS", "a", "b").toString())
                .isEqualTo("*[*[:3, :" + (1 | 16) + "], *[:4, :" + rwAccessUpdate + "]]");
        assertThat(c.call("tmc.keysof", "tmc.info", "src", "STORE", "dst").toString())
                .isEqualTo("*[*[:1, :" + (1 | 16) + "], *[:3, :" + (4 | 32) + "]]");
        // SET's key flags vary with its arguments (Redis's setGetKeys): it overwrites the key,
        // unless GET reads the old value first.
        assertThat(c.call("tmc.keysof", "set", "k", "v").toString()).isEqualTo("*[*[:1, :" + (4 | 32) + "]]");
        assertThat(c.call("tmc.keysof", "set", "k", "v", "GET").toString())
                .isEqualTo("*[*[:1, :" + rwAccessUpdate + "]]");
        assertThat(c.call("tmc.keysof", "bitfield", "k", "GET", "u8", "0").toString())
                .isEqualTo("*[*[:1, :" + (1 | 16) + "]]");
        assertThat(c.call("tmc.keysof", "bitfield", "k", "SET", "u8", "0", "1").toString())
                .isEqualTo("*[*[:1, :" + rwAccessUpdate + "]]");
        assertThat(c.call("tmc.keysof", "nosuchcommand", "x").toString()).isEqualTo("-ERR ENOENT");
        assertThat(c.call("tmc.keysof", "get").toString()).isEqualTo("-ERR EINVAL");
        assertThat(c.call("tmc.keysof", "tmc.echo").toString()).isEqualTo("*[]");
    }

    @Test
    void getkeysAndFlagsShowHowTheModuleSaysEachKeyIsUsed() {
        // KeyAtPosWithFlags gives the first key's flags; KeyAtPos means full access.
        assertThat(c.call("COMMAND", "GETKEYSANDFLAGS", "tmc.getkeys", "x", "KEYS", "a", "b").toString())
                .isEqualTo("*[*[$a, *[+RO, +access]], *[$b, *[+RW, +access, +update]]]");
        assertThat(c.call("COMMAND", "GETKEYS", "tmc.getkeys", "x", "KEYS", "a", "b").toString()).isEqualTo("*[$a, $b]");
        assertThat(c.call("COMMAND", "GETKEYSANDFLAGS", "set", "k", "v").toString())
                .isEqualTo("*[*[$k, *[+OW, +update]]]");
        assertThat(c.call("COMMAND", "GETKEYSANDFLAGS", "set", "k", "v", "get").toString())
                .isEqualTo("*[*[$k, *[+RW, +access, +update]]]");
    }

    @Test
    void moduleCommandsShowOnlyTheAclCategoriesTheyDeclared() {
        // No categories implied from the flags (Redis does that for its own commands only):
        // tmc.echo is "readonly fast" and declared "read fast"; tmc.keys ("write") declared none.
        assertThat(c.call("COMMAND", "INFO", "tmc.echo").toString()).contains("*[+@read, +@fast]");
        assertThat(c.call("COMMAND", "INFO", "tmc.keys").toString()).contains(", *[], *[], ");
        assertThat(c.call("COMMAND", "LIST", "FILTERBY", "ACLCAT", "slow").toString()).doesNotContain("tmc.");
    }

    @Test
    void commandTableEntries() {
        Command all = server.server().commands().get("tmc.allflags");
        long expected = CommandFlags.WRITE | CommandFlags.READONLY | CommandFlags.ADMIN | CommandFlags.DENYOOM
                | CommandFlags.NOSCRIPT | CommandFlags.LOADING | CommandFlags.PUBSUB | CommandFlags.STALE
                | CommandFlags.SKIP_MONITOR | CommandFlags.SKIP_SLOWLOG | CommandFlags.FAST | CommandFlags.MODULE_GETKEYS
                | CommandFlags.MODULE_NO_CLUSTER | CommandFlags.NO_AUTH | CommandFlags.MAY_REPLICATE
                | CommandFlags.NO_MANDATORY_KEYS | CommandFlags.BLOCKING | CommandFlags.ALLOW_BUSY
                | CommandFlags.MODULE_GETCHANNELS | CommandFlags.MODULE;
        assertThat(all.flags() & expected).isEqualTo(expected);
        assertThat(all.arity()).isEqualTo(-1);
        assertThat(String.valueOf(all.owner())).isEqualTo("tmcommands");

        Command keys = server.server().commands().get("tmc.keys");
        assertThat(new int[] {keys.firstKey(), keys.lastKey(), keys.keyStep()}).containsExactly(1, -1, 2);

        Command info = server.server().commands().get("tmc.info");
        assertThat(info.arity()).isEqualTo(-2);
        assertThat(info.meta().path("summary").asText()).isEqualTo("Copies a value, maybe");
        assertThat(info.meta().path("complexity").asText()).isEqualTo("O(1)");
        assertThat(info.meta().path("since").asText()).isEqualTo("1.0");
        assertThat(info.meta().path("history").toString()).isEqualTo("[[\"1.1\",\"Added the `count` argument.\"]]");
        assertThat(info.meta().path("tips").toString()).isEqualTo("[\"nondeterministic_output\",\"request_policy:all_shards\"]");
        assertThat(info.meta().path("key_specs").toString()).isEqualTo(
                "[{\"notes\":\"the source\",\"flags\":[\"RO\",\"ACCESS\"],\"begin_search\":{\"index\":{\"pos\":1}},"
                        + "\"find_keys\":{\"range\":{\"lastkey\":0,\"step\":1,\"limit\":0}}},"
                        + "{\"flags\":[\"OW\",\"UPDATE\"],\"begin_search\":{\"keyword\":{\"keyword\":\"STORE\",\"startfrom\":2}},"
                        + "\"find_keys\":{\"range\":{\"lastkey\":0,\"step\":1,\"limit\":0}}}]");
        assertThat(info.meta().path("arguments").toString()).isEqualTo(
                "[{\"name\":\"src\",\"type\":\"key\",\"key_spec_index\":0},"
                        + "{\"name\":\"count\",\"type\":\"integer\",\"summary\":\"how many\",\"since\":\"1.1\",\"flags\":[\"optional\"]},"
                        + "{\"name\":\"mode\",\"type\":\"oneof\",\"flags\":[\"optional\"],\"arguments\":["
                        + "{\"name\":\"fast\",\"type\":\"pure-token\",\"token\":\"FAST\"},"
                        + "{\"name\":\"slow\",\"type\":\"pure-token\",\"token\":\"SLOW\"}]},"
                        + "{\"name\":\"dst\",\"type\":\"key\",\"display_text\":\"destination\",\"key_spec_index\":1,"
                        + "\"token\":\"STORE\",\"flags\":[\"optional\"]}]");
        assertThat(info.aclCategories()).containsExactly("tmcat", "read");
        assertThat(server.server().commands().get("tmc.echo").aclCategories()).containsExactly("read", "fast");

        Command container = server.server().commands().get("tmc.container");
        assertThat(container.subcommands().keySet()).containsExactly("get", "set");
        assertThat(container.subcommand("set").has(CommandFlags.WRITE)).isTrue();
    }

    @Test
    void commandStatisticsCountModuleCommands() {
        Command echo = server.server().commands().get("tmc.echo");
        long before = echo.calls;
        c.call("tmc.echo");
        c.call("tmc.echo");
        assertThat(echo.calls - before).isEqualTo(2);
    }

    @Test
    void unloadRemovesEveryCommand() {
        try (TestServer s = TestServer.start("--enable-module-command", "yes"); RespClient c2 = s.client()) {
            assertThat(c2.call("MODULE", "LOAD", NativeBuild.so("modules/tmcommands.so")).toString()).isEqualTo("+OK");
            assertThat(c2.call("MODULE", "UNLOAD", "tmcommands").toString()).isEqualTo("+OK");
            assertThat(s.server().commands().all().stream().filter(x -> x.has(CommandFlags.MODULE)).count()).isZero();
            assertThat(c2.call("tmc.container", "get", "k").isError()).isTrue();
            // Loadable again: the names are free.
            assertThat(c2.call("MODULE", "LOAD", NativeBuild.so("modules/tmcommands.so")).toString()).isEqualTo("+OK");
        }
    }
}
