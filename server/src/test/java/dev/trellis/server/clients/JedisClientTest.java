package dev.trellis.server.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trellis.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.resps.CommandInfo;

/** Jedis, a widely used client, against Trellis in RESP2 and RESP3 (HELLO 3). */
class JedisClientTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Jedis connect(RedisProtocol protocol) {
        return new Jedis(new HostAndPort("127.0.0.1", server.port()),
                DefaultJedisClientConfig.builder().protocol(protocol).clientName("jedis-test").timeoutMillis(20_000).build());
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void basicCommands(RedisProtocol protocol) {
        try (Jedis j = connect(protocol)) {
            j.select(1);
            assertThat(j.ping()).isEqualTo("PONG");
            assertThat(j.echo("hi")).isEqualTo("hi");
            assertThat(j.set("jk", "v1")).isEqualTo("OK");
            assertThat(j.get("jk")).isEqualTo("v1");
            assertThat(j.incr("jn")).isEqualTo(1);
            assertThat(j.dbSize()).isEqualTo(2);
            assertThat(j.time()).hasSize(2);
            assertThatThrownBy(() -> j.incr("jk")).isInstanceOf(JedisDataException.class)
                    .hasMessage("ERR value is not an integer or out of range");
            j.flushDB();
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void pipelineOfTenThousandCommands(RedisProtocol protocol) {
        try (Jedis j = connect(protocol)) {
            j.select(2);
            Pipeline p = j.pipelined();
            List<Response<Long>> incrs = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                p.set("p" + i, Integer.toString(i));
                incrs.add(p.incr("p" + i));
            }
            p.sync();
            for (int i = 0; i < 5000; i++) {
                assertThat(incrs.get(i).get()).isEqualTo(i + 1L);
            }
            assertThat(j.dbSize()).isEqualTo(5000);
            j.flushDB();
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void clientCommands(RedisProtocol protocol) {
        try (Jedis j = connect(protocol); Jedis other = connect(protocol)) {
            long id = j.clientId();
            assertThat(j.clientGetname()).isEqualTo("jedis-test");
            j.clientSetname("renamed");
            assertThat(j.clientInfo()).contains("id=" + id + " ", " name=renamed ", " resp=" + (protocol == RedisProtocol.RESP3 ? 3 : 2));
            assertThat(j.clientList(ClientType.NORMAL)).contains("id=" + id + " ");
            assertThat(j.clientList(id).split("\n")).hasSize(1);
            long otherId = other.clientId();
            assertThat(j.clientKill(ClientKillParams.clientKillParams().id(Long.toString(otherId)))).isEqualTo(1);
            assertThat(j.clientList()).doesNotContain("id=" + otherId + " ");
            assertThat(j.clientNoEvictOn()).isEqualTo("OK");
            assertThat(j.clientNoTouchOn()).isEqualTo("OK");
            assertThat(j.clientUnblock(otherId)).isZero();
            assertThat(j.clientPause(10)).isEqualTo("OK");
            assertThat(j.clientUnpause()).isEqualTo("OK");
        }
    }

    @ParameterizedTest
    @EnumSource(value = RedisProtocol.class, names = {"RESP2", "RESP3"})
    void configInfoAndIntrospection(RedisProtocol protocol) {
        try (Jedis j = connect(protocol)) {
            Map<String, String> cfg = j.configGet("maxmemory*");
            assertThat(cfg).containsEntry("maxmemory", "0").containsKey("maxmemory-policy");
            assertThat(j.configSet("hz", "20", "maxmemory", "1gb")).isEqualTo("OK");
            assertThat(j.configGet("hz")).containsEntry("hz", "20");
            j.configSet("hz", "10", "maxmemory", "0");
            String info = j.info();
            assertThat(info).contains("# Server\r\n", "redis_version:7.2.4\r\n", "# Keyspace\r\n");
            // Jedis hands RESP3 verbatim strings over with their "txt:" prefix, as it does with Redis.
            assertThat(j.info("clients")).contains("# Clients\r\n", "connected_clients:").doesNotContain("# Server");
            assertThat(j.commandCount()).isGreaterThan(50);
            Map<String, CommandInfo> infos = j.commandInfo("get", "mset");
            assertThat(infos.get("get").getArity()).isEqualTo(2);
            assertThat(infos.get("mset").getStep()).isEqualTo(2);
            assertThat(infos.get("get").getAclCategories()).contains("@read", "@string", "@fast");
            assertThat(j.commandGetKeys("mset", "a", "1", "b", "2")).containsExactly("a", "b");
            assertThat(j.commandList()).contains("get", "config|get");
            j.set("mem", "value");
            assertThat(j.memoryUsage("mem")).isPositive();
            assertThat(j.memoryStats()).containsKey("keys.count");
            j.configSet("slowlog-log-slower-than", "0");
            j.ping();
            assertThat(j.slowlogGet(1)).hasSize(1);
            j.configSet("slowlog-log-slower-than", "10000");
            j.del("mem");
        }
    }
}
