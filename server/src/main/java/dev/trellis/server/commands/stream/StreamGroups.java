package dev.trellis.server.commands.stream;

import dev.trellis.server.client.Client;
import dev.trellis.server.types.stream.Consumer;
import dev.trellis.server.types.stream.ConsumerGroup;

/** Group bookkeeping that has visible effects (dirty counter, keyspace events). */
final class StreamGroups {
    private StreamGroups() {
    }

    /**
     * Creates a consumer the way commands do (streamCreateConsumer with SCC_DEFAULT): counts a
     * change and emits xgroup-createconsumer. Returns it, or null when it already existed.
     */
    static Consumer createConsumer(Client c, ConsumerGroup g, byte[] name, byte[] key) {
        Consumer consumer = g.createConsumer(name, StreamKeys.now(c));
        if (consumer != null) {
            c.server().stats().dirty++;
            StreamKeys.notify(c, "xgroup-createconsumer", key);
        }
        return consumer;
    }
}
