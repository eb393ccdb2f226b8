package dev.trellis.server.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the AOF and replicas would receive for writes, transactions and expiry. */
class PropagationTest {
    private static TestServer server;
    private static final List<String> seen = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.server().propagation().addSink((db, argv) -> {
            StringBuilder sb = new StringBuilder().append(db).append(':');
            for (int i = 0; i < argv.length; i++) {
                sb.append(i == 0 ? "" : " ").append(new String(argv[i], StandardCharsets.UTF_8));
            }
            seen.add(sb.toString());
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void clear() {
        try (RespClient c = server.client()) {
            c.call("FLUSHALL");
        }
        seen.clear();
    }

    @Test
    void singleWritesGoOutAloneAndReadsNotAtAll() {
        try (RespClient c = server.client()) {
            c.call("SET", "a", "1");
            c.call("GET", "a");
            c.call("SELECT", "2");
            c.call("INCR", "n");
        }
        assertThat(seen).containsExactly("0:SET a 1", "2:INCR n");
    }

    @Test
    void aTransactionIsWrappedInMultiExec() {
        try (RespClient c = server.client()) {
            c.call("MULTI");
            c.call("SET", "a", "1");
            c.call("GET", "a");
            c.call("SET", "b", "2");
            c.call("EXEC");
        }
        assertThat(seen).containsExactly("0:MULTI", "0:SET a 1", "0:SET b 2", "0:EXEC");
    }

    @Test
    void aTransactionWithOneWriteIsNotWrapped() {
        try (RespClient c = server.client()) {
            c.call("MULTI");
            c.call("GET", "a");
            c.call("SET", "a", "1");
            c.call("EXEC");
            c.call("MULTI");
            c.call("GET", "a");
            c.call("EXEC");
        }
        assertThat(seen).containsExactly("0:SET a 1");
    }

    @Test
    void activeExpiryPropagatesDel() throws Exception {
        try (RespClient c = server.client()) {
            c.call("SET", "e", "1", "PX", "20");
            long deadline = System.currentTimeMillis() + 5000;
            while (!seen.contains("0:DEL e") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
        }
        assertThat(seen).contains("0:DEL e");
    }
}
