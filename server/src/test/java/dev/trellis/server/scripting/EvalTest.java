package dev.trellis.server.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EVAL and friends: replies, conversions, errors with their positions, the sandbox, the script cache. */
class EvalTest {
    private static TestServer server;
    private RespClient c;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void fresh() {
        c = server.client();
        c.call("FLUSHALL");
        c.call("SCRIPT", "FLUSH");
    }

    private String eval(String script, String... keysAndArgs) {
        String[] args = new String[keysAndArgs.length + 2];
        args[0] = "EVAL";
        args[1] = script;
        System.arraycopy(keysAndArgs, 0, args, 2, keysAndArgs.length);
        return c.call(args).toString();
    }

    @Test
    void keysArgvAndCalls() {
        assertThat(eval("return {KEYS[1], ARGV[1], ARGV[2]}", "1", "k", "a", "b")).isEqualTo("*[$k, $a, $b]");
        assertThat(eval("return redis.call('set', KEYS[1], ARGV[1])", "1", "key", "val")).isEqualTo("+OK");
        assertThat(c.call("GET", "key").toString()).isEqualTo("$val");
        assertThat(eval("return redis.call('incrby', KEYS[1], 5)", "1", "n")).isEqualTo(":5");
        assertThat(eval("return #KEYS + #ARGV", "0")).isEqualTo(":0");
    }

    @Test
    void conversionsBothWays() {
        assertThat(eval("return 3.99", "0")).isEqualTo(":3");
        assertThat(eval("return -3.99", "0")).isEqualTo(":-3");
        assertThat(eval("return {1,2,nil,4}", "0")).isEqualTo("*[:1, :2]");
        assertThat(eval("return {true,false,'x'}", "0")).isEqualTo("*[:1, $(nil), $x]");
        assertThat(eval("return {ok='FINE'}", "0")).isEqualTo("+FINE");
        assertThat(eval("return redis.status_reply('YES')", "0")).isEqualTo("+YES");
        assertThat(eval("return {err='MYERR custom'}", "0")).isEqualTo("-MYERR custom");
        assertThat(eval("return redis.error_reply('MY_CODE msg')", "0")).isEqualTo("-MY_CODE msg");
        assertThat(eval("return redis.call('get', 'missing')", "0")).isEqualTo("$(nil)");
        assertThat(eval("return redis.call('get', 'missing') == false", "0")).isEqualTo(":1");
        c.call("RPUSH", "l", "a", "b");
        assertThat(eval("return redis.call('lrange', 'l', 0, -1)", "0")).isEqualTo("*[$a, $b]");
        assertThat(eval("return redis.call('ping')", "0")).isEqualTo("+PONG");
        assertThat(eval("return type(redis.call('ping'))", "0")).isEqualTo("$table");
        assertThat(eval("return tostring(1/3) .. ' ' .. tostring(1e20)", "0")).isEqualTo("$0.33333333333333 1e+20");
        assertThat(eval("return redis.call('set', 'f', 1.5)", "0")).isEqualTo("+OK");
        assertThat(c.call("GET", "f").toString()).isEqualTo("$1.5");
    }

    @Test
    void resp3FromScripts() {
        c.call("HSET", "h", "a", "1");
        assertThat(eval("redis.setresp(3); return redis.call('hgetall', 'h').map.a", "0")).isEqualTo("$1");
        assertThat(eval("return {double=3.5}", "0")).isEqualTo("$3.5");
        assertThat(eval("return {map={a=1}}", "0")).isEqualTo("*[$a, :1]");
        c.call("HELLO", "3");
        assertThat(eval("return {double=3.5}", "0")).isEqualTo(",3.5");
        assertThat(eval("return {map={a=1}}", "0")).isEqualTo("%[$a, :1]");
        assertThat(eval("return {set={a=true}}", "0")).isEqualTo("~[$a]");
        assertThat(eval("return {big_number='123456789012345678901234567890'}", "0")).isEqualTo("(123456789012345678901234567890");
        assertThat(eval("return true", "0")).isEqualTo(":1");
        assertThat(eval("redis.setresp(3); return true", "0")).isEqualTo("#t");
        assertThat(eval("redis.setresp(3); return false", "0")).isEqualTo("#f");
        assertThat(eval("return false", "0")).isEqualTo("_(nil)");
    }

    @Test
    void errorsCarryTheScriptPosition() {
        String sha = Sha1.hex("return a".getBytes());
        assertThat(eval("return a", "0")).isEqualTo("-ERR user_script:1: Script attempted to access nonexistent global "
                + "variable 'a' script: " + sha + ", on @user_script:1.");
        assertThat(eval("a = 1", "0")).contains("ERR user_script:1: Attempt to modify a readonly table script:");
        assertThat(eval("\n\nerror('boom')", "0")).endsWith("boom script: " + Sha1.hex("\n\nerror('boom')".getBytes())
                + ", on @user_script:3.");
        assertThat(eval("error({err='X y'})", "0")).startsWith("-X y script: ");
        assertThat(eval("return redis.call('nosuch')", "0")).startsWith("-ERR Unknown Redis command called from script script: ");
        assertThat(eval("return redis.call('get')", "0")).startsWith("-ERR Wrong number of args calling Redis command from script script: ");
        c.call("SET", "s", "x");
        assertThat(eval("return redis.call('lpush', 's', 1)", "0")).startsWith("-WRONGTYPE Operation against a key holding the wrong kind of value script: ");
        assertThat(eval("return redis.pcall('lpush', 's', 1)", "0")).isEqualTo("-WRONGTYPE Operation against a key holding the wrong kind of value");
        assertThat(eval("local ok, e = pcall(function() error('z') end) return e", "0")).isEqualTo("$user_script:1: z");
        assertThat(eval("return 1 +", "0")).isEqualTo("-ERR Error compiling script (new function): user_script:1: unexpected symbol near '<eof>'");
        assertThat(eval("return redis.call('script', 'load', 'x')", "0")).startsWith("-ERR This Redis command is not allowed from script script: ");
        assertThat(eval("return redis.call()", "0")).startsWith("-ERR Please specify at least one argument for this redis lib call script:");
        assertThat(eval("return redis.call({})", "0")).startsWith("-ERR Lua redis lib command arguments must be strings or integers script:");
        assertThat(eval("return 1", "2", "a")).isEqualTo("-ERR Number of keys can't be greater than number of args");
        assertThat(eval("return 1", "-1")).isEqualTo("-ERR Number of keys can't be negative");
        assertThat(eval("return 1", "x")).isEqualTo("-ERR value is not an integer or out of range");
        assertThat(c.call("EVALSHA", "abc", "0").toString()).isEqualTo("-NOSCRIPT No matching script. Please use EVAL.");
    }

    @Test
    void sandboxIsLocked() {
        assertThat(eval("setmetatable(_G, {})", "0")).startsWith("-ERR Attempt to modify a readonly table script:");
        assertThat(eval("local g = getmetatable(_G); g.__index = {}", "0")).contains("Attempt to modify a readonly table");
        assertThat(eval("redis.call = function() return 1 end", "0")).contains("Attempt to modify a readonly table");
        assertThat(eval("cjson.encode = 1", "0")).contains("Attempt to modify a readonly table");
        assertThat(eval("getmetatable('').__index = {}", "0")).contains("Attempt to modify a readonly table");
        assertThat(eval("print('x')", "0")).contains("nonexistent global variable 'print'");
        assertThat(eval("loadfile('/etc/passwd')", "0")).contains("nonexistent global variable 'loadfile'");
        assertThat(eval("dofile('/etc/passwd')", "0")).contains("nonexistent global variable 'dofile'");
        assertThat(eval("return loadstring(string.dump(function() return 1 end))()", "0")).contains("attempt to call a nil value");
        assertThat(eval("return loadstring('return 7')()", "0")).isEqualTo(":7");
        assertThat(eval("return unpack({1, 2})", "0")).isEqualTo(":1");
        assertThat(eval("return _VERSION", "0")).isEqualTo("$Lua 5.1");
    }

    @Test
    void librariesCjsonBitAndRedisHelpers() {
        assertThat(eval("return cjson.encode({1, 2, {a='x/y'}})", "0")).isEqualTo("$[1,2,{\"a\":\"x\\/y\"}]");
        assertThat(eval("return cjson.decode('[1,2,{\"a\":3}]')[3].a", "0")).isEqualTo(":3");
        assertThat(eval("return cjson.encode(cjson.decode('{\"n\":null}'))", "0")).isEqualTo("${\"n\":null}");
        assertThat(eval("return bit.band(0xff, 0x0f) + bit.lshift(1, 4)", "0")).isEqualTo(":31");
        assertThat(eval("return bit.tohex(255, 4)", "0")).isEqualTo("$00ff");
        assertThat(eval("return redis.sha1hex('')", "0")).isEqualTo("$da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assertThat(eval("return redis.REDIS_VERSION", "0")).isEqualTo("$" + dev.trellis.server.Server.REDIS_VERSION);
        assertThat(eval("return redis.replicate_commands()", "0")).isEqualTo(":1");
        assertThat(eval("return redis.LOG_WARNING", "0")).isEqualTo(":3");
        assertThat(eval("redis.log(redis.LOG_WARNING, 'hello from lua')", "0")).isEqualTo("$(nil)");
        assertThat(eval("return redis.setresp(4)", "0")).startsWith("-ERR RESP version must be 2 or 3. script:");
        assertThat(eval("local e = cmsgpack.pack(0.1, -1099511627776, {1, 2}, 'hi') local h = '' "
                + "for i = 1, #e do h = h .. string.format('%02x', string.byte(e, i)) end return h", "0"))
                .isEqualTo("$cb3fb999999999999ad3ffffff0000000000920102a26869");
        assertThat(eval("local t = {cmsgpack.unpack(cmsgpack.pack(1, 'x', {1, {2}}))} return {t[1], t[2], t[3][2][1]}", "0"))
                .isEqualTo("*[:1, $x, :2]");
        assertThat(eval("local s = struct.pack('>HIb', 1, 2, -3) return {#s, struct.unpack('>HIb', s)}", "0"))
                .isEqualTo("*[:7, :1, :2, :-3, :8]");
        assertThat(eval("return struct.size('<i4dc3')", "0")).isEqualTo(":15");
    }

    @Test
    void scriptCacheCommands() {
        RespValue sha = c.call("SCRIPT", "LOAD", "return 'hi'");
        assertThat(sha.text()).isEqualTo(Sha1.hex("return 'hi'".getBytes()));
        assertThat(c.call("EVALSHA", sha.text(), "0").toString()).isEqualTo("$hi");
        assertThat(c.call("EVALSHA", sha.text().toUpperCase(), "0").toString()).isEqualTo("$hi");
        assertThat(c.call("EVALSHA_RO", sha.text(), "0").toString()).isEqualTo("$hi");
        assertThat(c.call("SCRIPT", "EXISTS", sha.text(), "f".repeat(40)).toString()).isEqualTo("*[:1, :0]");
        assertThat(c.infoField("memory", "number_of_cached_scripts")).isEqualTo("1");
        assertThat(c.call("SCRIPT", "FLUSH", "SYNC").toString()).isEqualTo("+OK");
        assertThat(c.call("SCRIPT", "EXISTS", sha.text()).toString()).isEqualTo("*[:0]");
        assertThat(c.call("SCRIPT", "FLUSH", "BAD").toString()).isEqualTo("-ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        assertThat(c.call("SCRIPT", "KILL").toString()).isEqualTo("-NOTBUSY No scripts in execution right now.");
        assertThat(c.call("SCRIPT", "LOAD", "return +").toString()).startsWith("-ERR Error compiling script (new function): ");
        assertThat(c.call("SCRIPT", "HELP").items().get(0).text()).startsWith("SCRIPT <subcommand>");
    }

    @Test
    void readOnlyScriptsAndShebangFlags() {
        assertThat(c.call("EVAL_RO", "return redis.call('set', 'x', 'y')", "0").toString())
                .startsWith("-ERR Write commands are not allowed from read-only scripts. script:");
        assertThat(eval("#!lua flags=no-writes\nreturn redis.call('set', 'x', 'y')", "0"))
                .startsWith("-ERR Write commands are not allowed from read-only scripts. script:");
        assertThat(eval("#!lua flags=no-writes\nreturn redis.call('get', 'x')", "0")).isEqualTo("$(nil)");
        assertThat(c.call("EVAL_RO", "#!lua\nreturn 1", "0").toString())
                .isEqualTo("-ERR Can not execute a script with write flag using *_ro command.");
        assertThat(eval("#!lua flags=bad\nreturn 1", "0")).isEqualTo("-ERR Unexpected flag in script shebang: bad");
        assertThat(eval("#!python\nreturn 1", "0")).isEqualTo("-ERR Unexpected engine in script shebang: #!python");
        assertThat(eval("#!lua foo=bar\nreturn 1", "0")).isEqualTo("-ERR Unknown lua shebang option: foo=bar");
        assertThat(eval("#!lua", "0")).isEqualTo("-ERR Invalid script shebang");
        // The shebang line is kept as an empty line: errors point at the script's own line numbers.
        assertThat(eval("#!lua\nerror('x')", "0")).endsWith("on @user_script:2.");
    }

    @Test
    void blockingCommandsDoNotBlockAndSelectStaysInTheScript() {
        assertThat(eval("return redis.call('blpop', 'nolist', 0)", "0")).isEqualTo("$(nil)");
        c.call("SELECT", "2");
        assertThat(eval("redis.call('select', 5); redis.call('set', 'in5', '1'); return 1", "0")).isEqualTo(":1");
        assertThat(c.call("EXISTS", "in5").toString()).isEqualTo(":0");
        c.call("SELECT", "5");
        assertThat(c.call("EXISTS", "in5").toString()).isEqualTo(":1");
    }

    @Test
    void statsCountTheScriptAndItsCommands() {
        c.call("CONFIG", "RESETSTAT");
        eval("redis.call('set', 'a', 1); redis.call('incr', 'a')", "0");
        String stats = c.call("INFO", "commandstats").text();
        assertThat(stats).contains("cmdstat_eval:calls=1,").contains("cmdstat_set:calls=1,").contains("cmdstat_incr:calls=1,");
        c.call("CONFIG", "RESETSTAT");
        c.call("SET", "s", "x");
        eval("return redis.call('lpush', 's', 1)", "0");
        assertThat(c.infoField("stats", "total_error_replies")).isEqualTo("1");
        assertThat(c.call("INFO", "errorstats").text()).contains("errorstat_WRONGTYPE:count=1");
    }

    @Test
    void transactionsRunScripts() {
        c.call("MULTI");
        c.call("EVAL", "return redis.call('incr', KEYS[1])", "1", "ctr");
        c.call("EVAL", "return redis.call('incr', KEYS[1])", "1", "ctr");
        assertThat(c.call("EXEC").toString()).isEqualTo("*[:1, :2]");
        try (RespClient other = server.client()) {
            c.call("WATCH", "w");
            other.call("EVAL", "redis.call('set', 'w', 1)", "0");
            c.call("MULTI");
            c.call("GET", "w");
            assertThat(c.call("EXEC").isNull()).isTrue();
        }
    }
}
