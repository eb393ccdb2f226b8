package dev.trellis.server.commands.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.commands.list.ServerProbe;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When XREADGROUP creates its consumer. Redis 7.2 (t_stream.c xreadCommand) creates it, with
 * an xgroup-createconsumer event, as soon as the stream and group exist, whether or not
 * anything is delivered and before blocking; Redis 7.0 created it only when serving entries.
 * Trellis follows 7.2, so this cannot be a differential script against the 7.0 reference.
 */
class XReadGroupConsumerCreationTest {
    private static TestServer server;
    private static ServerProbe probe;
    private static RespClient c;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        probe = new ServerProbe(server);
        c = server.client();
    }

    @AfterAll
    static void stop() {
        c.close();
        server.close();
    }

    @BeforeEach
    void reset() {
        c.call("FLUSHALL");
        c.call("XADD", "s", "1-0", "f", "v");
        c.call("XGROUP", "CREATE", "s", "g", "$");
        probe.takeEvents();
        probe.takeStream();
    }

    private static String consumers() {
        StringBuilder names = new StringBuilder();
        for (var consumer : c.call("XINFO", "CONSUMERS", "s", "g").items()) {
            names.append(consumer.get(1).text()).append(' ');
        }
        return names.toString().trim();
    }

    @Test
    void nothingToDeliverStillCreatesTheConsumerOnce() {
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c1", "COUNT", "5", "STREAMS", "s", ">").toString())
                .isEqualTo("*(nil)");
        assertThat(probe.takeEvents()).containsExactly("xgroup-createconsumer s");
        assertThat(consumers()).isEqualTo("c1");
        assertThat(c.call("XINFO", "CONSUMERS", "s", "g").get(0).toString()).contains("$pending, :0").contains("$inactive, :-1");
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c1", "STREAMS", "s", ">").toString()).isEqualTo("*(nil)");
        assertThat(probe.takeEvents()).isEmpty();
        // Nothing was served, so nothing is propagated (as in Redis without NOACK).
        assertThat(probe.takeStream()).isEmpty();
    }

    @Test
    void noackCreationIsPropagatedEvenWithNothingToDeliver() {
        c.call("XREADGROUP", "GROUP", "g", "quiet", "NOACK", "STREAMS", "s", ">");
        assertThat(probe.takeEvents()).containsExactly("xgroup-createconsumer s");
        assertThat(probe.takeStream()).anyMatch(cmd -> cmd.endsWith("XGROUP CREATECONSUMER s g quiet"));
    }

    @Test
    void aBlockingReadCreatesTheConsumerBeforeItWaits() throws Exception {
        try (RespClient writer = server.client()) {
            c.send("XREADGROUP".getBytes(), "GROUP".getBytes(), "g".getBytes(), "waiter".getBytes(), "BLOCK".getBytes(),
                    "0".getBytes(), "STREAMS".getBytes(), "s".getBytes(), ">".getBytes());
            long deadline = System.currentTimeMillis() + 5000;
            while (server.server().blocking().blockedClients() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertThat(writer.call("XINFO", "CONSUMERS", "s", "g").toString()).contains("$waiter");
            assertThat(probe.takeEvents()).containsExactly("xgroup-createconsumer s");
            writer.call("XADD", "s", "2-0", "f", "w");
            assertThat(c.read().toString()).isEqualTo("*[*[$s, *[*[$2-0, *[$f, $w]]]]]");
            // Served when woken: the consumer existed already, no second creation.
            assertThat(probe.takeEvents()).containsExactly("xadd s");
        }
    }

    @Test
    void aMissingStreamCreatesNothing() {
        assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "nostream", ">").text()).startsWith("NOGROUP");
        assertThat(probe.takeEvents()).isEmpty();
    }
}
