package dev.trellis.server.pubsub;

import dev.trellis.server.util.ByteKey;
import java.util.LinkedHashSet;

/** What one client is subscribed to: channels, patterns and shard channels. */
final class Subscriptions {
    final LinkedHashSet<ByteKey> channels = new LinkedHashSet<>();
    final LinkedHashSet<ByteKey> patterns = new LinkedHashSet<>();
    final LinkedHashSet<ByteKey> shardChannels = new LinkedHashSet<>();

    /** The count SUBSCRIBE/PSUBSCRIBE and their unsubscribes report: channels plus patterns. */
    int classicCount() {
        return channels.size() + patterns.size();
    }

    int total() {
        return channels.size() + patterns.size() + shardChannels.size();
    }
}
