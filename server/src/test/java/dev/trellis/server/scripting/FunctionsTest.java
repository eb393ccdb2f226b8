package dev.trellis.server.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.ReplicationStream;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** FUNCTION LOAD/LIST/DELETE/FLUSH/DUMP/RESTORE/STATS, FCALL and FCALL_RO, and libraries in files. */
class FunctionsTest {
    private static final String LIB = "#!lua name=mylib\n"
            + "redis.register_function('setit', function(keys, args) return redis.call('set', keys[1], args[1]) end)\n"
            + "redis.register_function{function_name='getit', callback=function(keys, args) return redis.call('get', keys[1]) end,"
            + " flags={'no-writes'}, description='reads a key'}";
    private static TestServer server;
    private RespClient c;

    @BeforeAll
    static void start() throws java.io.IOException {
        // DEBUG RELOAD saves: into a directory of its own, not the working directory other tests start in.
        server = TestServer.start("--enable-debug-command", "yes", "--dir",
                Files.createTempDirectory("trellis-functions").toString());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void fresh() {
        c = server.client();
        c.call("FLUSHALL");
        c.call("FUNCTION", "FLUSH");
    }

    private String call(String... args) {
        return c.call(args).toString();
    }

    @Test
    void loadCallAndList() {
        assertThat(call("FUNCTION", "LOAD", LIB)).isEqualTo("$mylib");
        assertThat(call("FCALL", "setit", "1", "k", "v")).isEqualTo("+OK");
        assertThat(call("FCALL_RO", "getit", "1", "k")).isEqualTo("$v");
        assertThat(call("FCALL_RO", "setit", "1", "k", "v"))
                .isEqualTo("-ERR Can not execute a script with write flag using *_ro command.");
        assertThat(call("FCALL", "nosuch", "0")).isEqualTo("-ERR Function not found");
        assertThat(call("FCALL", "getit", "x")).isEqualTo("-ERR Bad number of keys provided");
        assertThat(call("FCALL", "getit", "3", "a")).isEqualTo("-ERR Number of keys can't be greater than number of args");
        assertThat(call("FUNCTION", "LIST")).isEqualTo("*[*[$library_name, $mylib, $engine, $LUA, $functions, *["
                + "*[$name, $setit, $description, $(nil), $flags, *[]], "
                + "*[$name, $getit, $description, $reads a key, $flags, *[+no-writes]]]]]");
        RespValue withCode = c.call("FUNCTION", "LIST", "LIBRARYNAME", "my*", "WITHCODE");
        assertThat(withCode.get(0).get(7).text()).isEqualTo(LIB);
        assertThat(call("FUNCTION", "LIST", "LIBRARYNAME", "other*")).isEqualTo("*[]");
        assertThat(call("FUNCTION", "LIST", "BAD")).isEqualTo("-ERR Unknown argument BAD");
        assertThat(c.infoField("memory", "number_of_functions")).isEqualTo("2");
        assertThat(c.infoField("memory", "number_of_libraries")).isEqualTo("1");
        assertThat(call("FUNCTION", "STATS")).isEqualTo("*[$running_script, $(nil), $engines, *[$LUA, *[$libraries_count, :1, $functions_count, :2]]]");
    }

    @Test
    void loadErrors() {
        call("FUNCTION", "LOAD", LIB);
        assertThat(call("FUNCTION", "LOAD", LIB)).isEqualTo("-ERR Library 'mylib' already exists");
        assertThat(call("FUNCTION", "LOAD", "REPLACE", LIB)).isEqualTo("$mylib");
        assertThat(call("FUNCTION", "LOAD", "return 1")).isEqualTo("-ERR Missing library metadata");
        assertThat(call("FUNCTION", "LOAD", "#!lua\nreturn 1")).isEqualTo("-ERR Library name was not given");
        assertThat(call("FUNCTION", "LOAD", "#!lua name=a foo=b\nreturn 1")).isEqualTo("-ERR Invalid metadata value given: foo=b");
        assertThat(call("FUNCTION", "LOAD", "#!js name=a\nreturn 1")).isEqualTo("-ERR Engine 'js' not found");
        assertThat(call("FUNCTION", "LOAD", "#!lua name=a-b\nreturn 1"))
                .isEqualTo("-ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long");
        assertThat(call("FUNCTION", "LOAD", "#!lua name=e\nreturn 1")).isEqualTo("-ERR No functions registered");
        assertThat(call("FUNCTION", "LOAD", "#!lua name=e\nredis.call('ping')"))
                .isEqualTo("-ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'call'");
        assertThat(call("FUNCTION", "LOAD", "#!lua name=e\nredis.register_function('setit', function() return 1 end)"))
                .isEqualTo("-ERR Function setit already exists");
        assertThat(call("FUNCTION", "LOAD", "#!lua name=e\nredis.register_function('x', 1)"))
                .isEqualTo("-ERR Error registering functions: ERR second argument to redis.register_function must be a function");
        assertThat(call("FUNCTION", "LOAD", "#!lua name=e\nredis.register_function{function_name='x', callback=function() end, flags={'bad'}}"))
                .isEqualTo("-ERR Error registering functions: ERR unknown flag given");
        assertThat(call("FUNCTION", "LOAD", "#!lua name=e\nreturn +")).startsWith("-ERR Error compiling function: user_function:2:");
        assertThat(call("FUNCTION", "LOAD", "FOO", "x")).isEqualTo("-ERR Unknown option given: FOO");
        assertThat(call("FUNCTION", "DELETE", "nolib")).isEqualTo("-ERR Library not found");
        assertThat(call("FUNCTION", "DELETE", "mylib")).isEqualTo("+OK");
        assertThat(call("FCALL", "setit", "0")).isEqualTo("-ERR Function not found");
    }

    @Test
    void errorsNameTheFunction() {
        call("FUNCTION", "LOAD", "#!lua name=f\nredis.register_function('boom', function() error('bad') end)");
        assertThat(call("FCALL", "boom", "0")).isEqualTo("-ERR user_function:2: bad script: boom, on @user_function:2.");
    }

    @Test
    void dumpRestoreAndFlushall() {
        call("FUNCTION", "LOAD", LIB);
        try (redis.clients.jedis.Jedis j = new redis.clients.jedis.Jedis("127.0.0.1", server.port())) {
            byte[] dump = j.functionDump();
            assertThat(call("FLUSHALL")).isEqualTo("+OK");
            assertThat(call("FCALL", "setit", "1", "k", "v")).isEqualTo("+OK"); // FLUSHALL keeps functions
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> j.functionRestore(dump))
                    .hasMessage("ERR Library mylib already exists");
            assertThat(j.functionRestore(dump, redis.clients.jedis.args.FunctionRestorePolicy.REPLACE)).isEqualTo("OK");
            assertThat(call("FUNCTION", "FLUSH")).isEqualTo("+OK");
            assertThat(j.functionRestore(dump)).isEqualTo("OK");
            assertThat(call("FCALL_RO", "getit", "1", "k")).isEqualTo("$v");
            assertThat(j.functionRestore(dump, redis.clients.jedis.args.FunctionRestorePolicy.FLUSH)).isEqualTo("OK");
        }
        assertThat(call("FUNCTION", "RESTORE", "garbage")).isEqualTo("-ERR DUMP payload version or checksum are wrong");
        assertThat(call("FUNCTION", "RESTORE", "x", "BAD"))
                .isEqualTo("-ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
        assertThat(call("DEBUG", "RELOAD")).isEqualTo("+OK");
        assertThat(call("FCALL_RO", "getit", "1", "k")).isEqualTo("$v");
    }

    @Test
    void functionLoadIsReplicated() throws Exception {
        try (ReplicationStream repl = ReplicationStream.attach(server.port(), false)) {
            call("FUNCTION", "LOAD", LIB);
            call("FCALL", "setit", "1", "k", "v");
            call("SET", "end", "1");
            List<String> got = new ArrayList<>();
            for (String s = repl.next(); !s.equals("set end 1"); s = repl.next()) {
                got.add(s);
            }
            assertThat(got).containsExactly("select 0", "function LOAD " + LIB, "set k v");
        }
    }

    @Test
    void librariesSurviveRestartsThroughRdbAndAof() throws Exception {
        Path dir = Files.createTempDirectory("trellis-fn");
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes");
             RespClient a = t.client()) {
            a.call("FUNCTION", "LOAD", LIB);
            a.call("BGREWRITEAOF");
            TestServer.await("rewrite done", () -> a.infoField("persistence", "aof_rewrite_in_progress").equals("0")
                    && a.infoField("persistence", "aof_rewrite_scheduled").equals("0"));
            a.call("FUNCTION", "LOAD", "#!lua name=later\nredis.register_function('later', function() return 'l' end)");
            a.call("SAVE");
        }
        try (TestServer t = TestServer.start("--dir", dir.toString(), "--appendonly", "yes"); RespClient a = t.client()) {
            assertThat(a.call("FCALL", "later", "0").toString()).isEqualTo("$l");
            assertThat(a.call("FCALL", "setit", "1", "x", "y").toString()).isEqualTo("+OK");
        }
        try (TestServer t = TestServer.start("--dir", dir.toString()); RespClient a = t.client()) {
            assertThat(a.call("FCALL", "later", "0").toString()).isEqualTo("$l");
        }
    }
}
