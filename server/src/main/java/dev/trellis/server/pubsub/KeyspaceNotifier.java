package dev.trellis.server.pubsub;

import dev.trellis.server.config.Config;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.Keyspace;
import dev.trellis.server.keyspace.KeyspaceObserver;
import java.nio.charset.StandardCharsets;

/**
 * notify-keyspace-events: turns keyspace events into pub/sub messages, as Redis does. For an
 * event of an enabled class, {@code K} publishes the event name on
 * {@code __keyspace@<db>__:<key>} and {@code E} publishes the key name on
 * {@code __keyevent@<db>__:<event>}.
 *
 * <p>Keyspace events have a single fan-out point, {@code Keyspace.notify}: this class is one of
 * its observers, module subscribers (which hear every event whatever this setting says) another.
 */
public final class KeyspaceNotifier implements KeyspaceObserver {
    private static final byte[] KEYSPACE_PREFIX = "__keyspace@".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEYEVENT_PREFIX = "__keyevent@".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEPARATOR = "__:".getBytes(StandardCharsets.US_ASCII);

    private final PubSub pubsub;
    private volatile int flags;

    /** Creates the notifier and registers it with {@code keyspace}, which calls it only while notifications are on. */
    public KeyspaceNotifier(PubSub pubsub, Config config, Keyspace keyspace) {
        this.pubsub = pubsub;
        keyspace.addObserver(this);
        flags(keyspace, parse(config.notifyKeyspaceEvents));
        config.onChange("notify-keyspace-events", v -> flags(keyspace, parse(v)));
    }

    private void flags(Keyspace keyspace, int f) {
        flags = f;
        keyspace.observerActive(this, (f & (EventType.KEYSPACE | EventType.KEYEVENT)) != 0);
    }

    private static int parse(String v) {
        int f = EventType.parse(v);
        return f < 0 ? 0 : f;
    }

    /** The enabled classes (EventType bits). */
    public int flags() {
        return flags;
    }

    @Override
    public void event(int type, String event, byte[] key, int dbId) {
        int f = flags;
        if ((f & type) == 0 || (f & (EventType.KEYSPACE | EventType.KEYEVENT)) == 0 || pubsub.idle()) {
            return;
        }
        byte[] db = Integer.toString(dbId).getBytes(StandardCharsets.US_ASCII);
        byte[] name = event.getBytes(StandardCharsets.US_ASCII);
        if ((f & EventType.KEYSPACE) != 0) {
            pubsub.publish(PubSub.Kind.CHANNEL, channel(KEYSPACE_PREFIX, db, key), name);
        }
        if ((f & EventType.KEYEVENT) != 0) {
            pubsub.publish(PubSub.Kind.CHANNEL, channel(KEYEVENT_PREFIX, db, name), key);
        }
    }

    private static byte[] channel(byte[] prefix, byte[] db, byte[] suffix) {
        byte[] out = new byte[prefix.length + db.length + SEPARATOR.length + suffix.length];
        int p = 0;
        System.arraycopy(prefix, 0, out, p, prefix.length);
        p += prefix.length;
        System.arraycopy(db, 0, out, p, db.length);
        p += db.length;
        System.arraycopy(SEPARATOR, 0, out, p, SEPARATOR.length);
        p += SEPARATOR.length;
        System.arraycopy(suffix, 0, out, p, suffix.length);
        return out;
    }
}
