package dev.trellis.server.scripting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trellis.server.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/** EVAL and EVALSHA through Jedis, which relies on NOSCRIPT to fall back to EVAL. */
class EvalRealClientTest {
    @Test
    void jedisEvalAndEvalsha() {
        try (TestServer server = TestServer.start(); Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.eval("return redis.call('set', KEYS[1], ARGV[1])", List.of("k"), List.of("v"))).isEqualTo("OK");
            assertThat(j.get("k")).isEqualTo("v");
            String script = "return {KEYS[1], tonumber(ARGV[1]) * 2}";
            String sha = j.scriptLoad(script);
            assertThat(j.evalsha(sha, List.of("key"), List.of("21"))).isEqualTo(List.of("key", 42L));
            assertThat(j.scriptExists(sha)).isTrue();
            j.scriptFlush();
            assertThatThrownBy(() -> j.evalsha(sha, List.of("key"), List.of("21"))).isInstanceOf(JedisNoScriptException.class);
            assertThatThrownBy(() -> j.eval("return redis.call('nosuch')")).isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("Unknown Redis command called from script");
        }
    }
}
