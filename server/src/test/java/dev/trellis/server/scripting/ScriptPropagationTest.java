package dev.trellis.server.scripting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.ReplicationStream;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A script's writes reach replicas as its commands (effects), MONITOR shows them after the script. */
class ScriptPropagationTest {
    @Test
    void effectsAreReplicatedInOneUnit() throws Exception {
        try (TestServer server = TestServer.start(); RespClient c = server.client();
             ReplicationStream repl = ReplicationStream.attach(server.port(), false)) {
            c.call("EVAL", "redis.call('set', KEYS[1], '1'); redis.call('incr', KEYS[1]); return 1", "1", "a");
            c.call("EVAL", "return redis.call('get', 'a')", "0"); // reads: nothing propagated
            c.call("EVAL", "redis.call('set', 'single', 'x')", "0"); // one write: no MULTI
            c.call("EVAL", "redis.set_repl(redis.REPL_NONE); redis.call('set', 'hidden', 'x')", "0");
            c.call("EVAL", "redis.call('select', 3); redis.call('set', 'b', '2'); redis.call('del', 'b')", "0");
            c.call("SET", "end", "1");
            List<String> got = new ArrayList<>();
            for (String s = repl.next(); !s.equals("set end 1"); s = repl.next()) {
                got.add(s);
            }
            assertThat(got).containsExactly("multi", "select 0", "set a 1", "incr a", "exec", "set single x",
                    "multi", "select 3", "set b 2", "del b", "exec", "select 0");
        }
    }

    @Test
    void monitorShowsScriptCommandsAfterTheScript() throws Exception {
        try (TestServer server = TestServer.start(); RespClient c = server.client(); RespClient mon = server.client()) {
            assertThat(mon.call("MONITOR").toString()).isEqualTo("+OK");
            c.call("EVAL", "redis.call('set', 'x', '1')", "0");
            assertThat(mon.read().text()).contains("\"EVAL\" \"redis.call('set', 'x', '1')\" \"0\"");
            assertThat(mon.read().text()).contains("[0 lua] \"set\" \"x\" \"1\"");
        }
    }
}
