package dev.trellis.server.commands.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * Stream replies that changed after Redis 7.0 (so the 7.0 reference cannot check them): the
 * wording of the unbalanced-streams error and XSETID's check against max_deleted_entry_id,
 * which 7.2 (t_stream.c xsetidCommand) makes even on an empty stream.
 */
class StreamSince72Test {
    @Test
    void unbalancedStreamListNamesTheCommand() {
        try (TestServer server = TestServer.start(); RespClient c = server.client()) {
            assertThat(c.call("XREAD", "STREAMS", "a", "b", "0").text())
                    .isEqualTo("ERR Unbalanced 'xread' list of streams: for each stream key an ID or '$' must be specified.");
            assertThat(c.call("XREADGROUP", "GROUP", "g", "c", "STREAMS", "a", "b", ">").text())
                    .isEqualTo("ERR Unbalanced 'xreadgroup' list of streams: for each stream key an ID or '>' must be specified.");
        }
    }

    @Test
    void xsetidCannotGoBelowTheLargestDeletedId() {
        try (TestServer server = TestServer.start(); RespClient c = server.client()) {
            c.call("XADD", "e", "1-0", "f", "v");
            c.call("XDEL", "e", "1-0");
            assertThat(c.call("XSETID", "e", "0-1").text())
                    .isEqualTo("ERR The ID specified in XSETID is smaller than current max_deleted_entry_id");
            assertThat(c.call("XSETID", "e", "1-0").text()).isEqualTo("OK");
            assertThat(c.call("XSETID", "e", "5-0", "MAXDELETEDID", "3-0").text()).isEqualTo("OK");
            assertThat(c.call("XSETID", "e", "2-0").text())
                    .isEqualTo("ERR The ID specified in XSETID is smaller than current max_deleted_entry_id");
            assertThat(c.call("XSETID", "e", "6-0").text()).isEqualTo("OK");
            assertThat(c.call("XINFO", "STREAM", "e").toString()).contains("$last-generated-id, $6-0")
                    .contains("$max-deleted-entry-id, $3-0");
        }
    }
}
