package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The same C module loaded into Debian's redis-server and into Trellis: module values saved by
 * one (RDB files and DUMP payloads) load into the other.
 */
class DataTypeInteropTest {
    @Test
    void redisAndTrellisReadEachOthersModuleValues() throws Exception {
        assumeTrue(ReferenceRedis.binary() != null, "redis-server not installed");
        String so = NativeBuild.so("modules/tmdatatype.so");
        String value = DataTypeModuleTest.VALUE_K;
        Path dir = Files.createTempDirectory("tmdatatype-interop");
        try {
            try (ReferenceRedis redis = ReferenceRedis.startOrNull("--dir", dir.toString(), "--loadmodule", so);
                 RespClient r = redis.client()) {
                assertThat(r.call("TMT.SET", "k", "-42", "hello").toString()).isEqualTo("+OK");
                assertThat(r.call("TMT.PUSH", "k", "a", "b").toString()).isEqualTo(":2");
                assertThat(r.call("SAVE").toString()).isEqualTo("+OK");
            }
            try (TestServer t = TestServer.start("--dir", dir.toString(), "--loadmodule", so);
                 RespClient tc = t.client()) {
                assertThat(tc.call("TMT.GET", "k").toString()).isEqualTo(value);
                tc.call("TMT.SET", "mine", "7", "from-trellis");
                assertThat(tc.call("SAVE").toString()).isEqualTo("+OK");
                try (ReferenceRedis redis = ReferenceRedis.startOrNull("--dir", dir.toString(), "--loadmodule", so);
                     RespClient r = redis.client();
                     Jedis jr = new Jedis("127.0.0.1", redis.port());
                     Jedis jt = new Jedis("127.0.0.1", t.port())) {
                    assertThat(r.call("TMT.GET", "mine").toString()).startsWith("*[:7, $from-trellis,");
                    assertThat(r.call("TMT.GET", "k").toString()).isEqualTo(value);
                    byte[] fromRedis = jr.dump("k");
                    assertThat(jt.restore("from-redis".getBytes(StandardCharsets.UTF_8), 0, fromRedis)).isEqualTo("OK");
                    assertThat(tc.call("TMT.GET", "from-redis").toString()).isEqualTo(value);
                    byte[] ours = jt.dump("k");
                    assertThat(jr.restore("from-trellis".getBytes(StandardCharsets.UTF_8), 0, ours)).isEqualTo("OK");
                    assertThat(r.call("TMT.GET", "from-trellis").toString()).isEqualTo(value);
                }
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
