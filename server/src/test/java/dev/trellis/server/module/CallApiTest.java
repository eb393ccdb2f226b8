package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.module.nativeabi.NativeRuntime;
import dev.trellis.server.replication.Propagation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RedisModule_Call and CallReply through native/modules/tmcall.c. The expected replies were
 * checked against Redis 7.0 running the same module (except the 'D' flag, new in 7.2).
 */
class CallApiTest extends ModuleApiTestBase {
    @BeforeAll
    static void load() {
        start("tmcall");
    }

    @AfterAll
    static void unload() {
        stop();
    }

    private static String tc(String... args) {
        String[] a = new String[args.length + 1];
        a[0] = "TMCALL.CALL";
        System.arraycopy(args, 0, a, 1, args.length);
        return call(a);
    }

    @Test
    void keysReadThroughCallAreTrackedForTheCommandsCaller() {
        try (dev.trellis.server.testing.RespClient reader = server.client()) {
            reader.call("HELLO", "3");
            reader.call("CLIENT", "TRACKING", "on");
            call("SET", "tracked", "1");
            call("SET", "written", "1");
            // GET through the module's Call is remembered for the reader; its SET reads nothing.
            assertThat(reader.call("TMCALL.CALL", "-", "GET", "tracked").toString()).isEqualTo("*[+string, $1, :1]");
            assertThat(reader.call("TMCALL.CALL", "-", "SET", "written", "2").toString()).isEqualTo("*[+string, $OK, :2]");
            call("SET", "written", "3");
            call("SET", "tracked", "2");
            assertThat(reader.read().toString()).isEqualTo(">[$invalidate, *[$tracked]]");
            assertThat(reader.call("PING").toString()).isEqualTo("+PONG");
        }
    }

    @Test
    void repliesOfEveryType() {
        assertThat(tc("-", "SET", "ck", "v")).isEqualTo("*[+string, $OK, :2]");
        assertThat(tc("-", "GET", "ck")).isEqualTo("*[+string, $v, :1]");
        assertThat(tc("-", "GET", "nokey")).isEqualTo("*[+null]");
        assertThat(tc("-", "INCR", "ck")).isEqualTo("*[+error, $ERR value is not an integer or out of range]");
        assertThat(tc("-", "RPUSH", "cl", "a", "b")).isEqualTo("*[+integer, :2]");
        assertThat(tc("-", "LRANGE", "cl", "0", "-1")).isEqualTo("*[+array, *[+string, $a, :1], *[+string, $b, :1]]");
        assertThat(tc("-", "LINDEX", "cl", "5")).isEqualTo("*[+null]");
        assertThat(tc("-", "CONFIG", "GET", "daemonize"))
                .isEqualTo("*[+array, *[+string, $daemonize, :9], *[+string, $no, :2]]");
        assertThat(tc("3", "CONFIG", "GET", "daemonize"))
                .isEqualTo("*[+map, *[+string, $daemonize, :9], *[+string, $no, :2]]");
        assertThat(tc("3", "ZSCORE", "nokey", "m")).isEqualTo("*[+null]");
        assertThat(tc("C", "PING")).isEqualTo("*[+string, $PONG, :4]");
    }

    @Test
    void resp3ScalarsAndVerbatim() {
        c.call("ZADD", "cz", "1.5", "m");
        assertThat(tc("3", "ZSCORE", "cz", "m")).isEqualTo("*[+double, $1.5]");
        assertThat(tc("-", "ZSCORE", "cz", "m")).isEqualTo("*[+string, $1.5, :3]");
        assertThat(tc("3", "EXISTS", "cz")).isEqualTo("*[+integer, :1]");
        String info = tc("3", "INFO", "server");
        assertThat(info).startsWith("*[+verbatim, $txt, $# Server");
    }

    @Test
    void errnoContract() {
        assertThat(tc("-", "NOSUCHCMD", "a")).isEqualTo("*[+NULL, +ENOENT]");
        assertThat(tc("E", "NOSUCHCMD", "a", "b"))
                .isEqualTo("*[+error, $ERR unknown command 'NOSUCHCMD', with args beginning with: 'a' 'b' ]");
        assertThat(tc("-", "GET")).isEqualTo("*[+NULL, +EINVAL]");
        assertThat(tc("E", "GET")).isEqualTo("*[+error, $ERR wrong number of arguments for 'get' command]");
        assertThat(tc("E", "CONFIG", "nosub")).isEqualTo("*[+error, $ERR unknown subcommand 'nosub'. Try CONFIG HELP.]");
        assertThat(tc("W", "SET", "ck", "v")).isEqualTo("*[+NULL, +ENOSPC]");
        assertThat(tc("EW", "SET", "ck", "v"))
                .isEqualTo("*[+error, $ERR Write command 'set' was called while write is not allowed.]");
        assertThat(tc("S", "SHUTDOWN")).isEqualTo("*[+NULL, +ESPIPE]");
        assertThat(tc("ES", "SHUTDOWN")).isEqualTo("*[+error, $ERR command 'shutdown' is not allowed on script mode]");
        // Dry run: everything checked, nothing run.
        assertThat(tc("D", "SET", "dry", "v")).isEqualTo("*[+NULL, +0]");
        assertThat(c.call("EXISTS", "dry").toString()).isEqualTo(":0");
        assertThat(tc("D", "NOSUCHCMD")).startsWith("*[+error, $ERR unknown command 'NOSUCHCMD'");
        assertThat(call("TMCALL.BADFMT")).isEqualTo("*[:1, +EBADF]");
    }

    @Test
    void everyArgumentKind() {
        assertThat(call("TMCALL.FORMATS", "fk")).isEqualTo("*[$bin\u0000x, $str, $-42, $v1, $v2, $5]");
    }

    @Test
    void protocolAndAccessors() {
        c.call("DEL", "pl");
        c.call("RPUSH", "pl", "a", "b");
        assertThat(call("TMCALL.PROTO", "LRANGE", "pl", "0", "-1")).isEqualTo("$*2\r\n$1\r\na\r\n$1\r\nb\r\n");
        assertThat(call("TMCALL.ACCESSORS")).isEqualTo("*[:1, :1, :1, :1, :1, :4, :1, :1]");
    }

    @Test
    void autoMemoryFreesRepliesAndStrings() {
        int before = NativeRuntime.get().liveHandles();
        assertThat(call("TMCALL.AUTO", "500")).isEqualTo(":500");
        assertThat(NativeRuntime.get().liveHandles()).isEqualTo(before);
    }

    private static void onServerThread(Runnable r) {
        try {
            server.server().scheduler().submit(r).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void propagationOfWhatModulesRun() {
        Propagation p = server.server().propagation();
        List<String> stream = new ArrayList<>();
        Propagation.Sink sink = (db, argv) -> {
            StringBuilder sb = new StringBuilder();
            for (byte[] a : argv) {
                sb.append(sb.length() == 0 ? "" : " ").append(new String(a, StandardCharsets.UTF_8));
            }
            stream.add(sb.toString());
        };
        onServerThread(() -> p.addSink(sink));
        try {
            assertThat(call("TMCALL.REPL", "rk")).isEqualTo(":1"); // Replicate of an unknown command fails
            assertThat(call("GET", "rk")).isEqualTo("$11");
            assertThat(call("TMCALL.NOREPL", "nk")).isEqualTo("+OK");
            assertThat(call("SET", "plain", "1")).isEqualTo("+OK");
            // SET with '!' is propagated, INCR without it is not; then Replicate and
            // ReplicateVerbatim, the whole command in MULTI/EXEC; the write without '!' and the
            // module command itself are never propagated.
            assertThat(stream).containsExactly("MULTI", "SET rk 10", "INCRBY rk 5", "TMCALL.REPL rk", "EXEC", "SET plain 1");
        } finally {
            onServerThread(() -> p.removeSink(sink));
        }
    }
}
