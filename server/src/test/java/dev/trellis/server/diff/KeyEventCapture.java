package dev.trellis.server.diff;

import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyspaceObserver;
import dev.trellis.server.testing.ReferenceRedis;
import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.RespValue;
import dev.trellis.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Records keyspace events as "event key" lines, from redis-server (a PSUBSCRIBE to its keyevent
 * channels, every class enabled) or from Trellis (a keyspace observer), so tests can compare the
 * notifications both servers emit for the same commands.
 */
public abstract class KeyEventCapture implements AutoCloseable {
    /** The events since the last call, in order. */
    public abstract List<String> drain();

    @Override
    public void close() {
    }

    public static KeyEventCapture of(TestServer trellis) {
        Observer o = new Observer();
        trellis.server().keyspace().addObserver(o);
        return new KeyEventCapture() {
            @Override
            public List<String> drain() {
                synchronized (o.events) {
                    List<String> out = new ArrayList<>(o.events);
                    o.events.clear();
                    return out;
                }
            }

            @Override
            public void close() {
                trellis.server().keyspace().removeObserver(o);
            }
        };
    }

    public static KeyEventCapture of(ReferenceRedis redis) {
        RespClient control = redis.client();
        control.call("CONFIG", "SET", "notify-keyspace-events", "EA");
        RespClient sub = redis.client();
        sub.call("PSUBSCRIBE", "__keyevent@*__:*");
        sub.call("SUBSCRIBE", "capture-marker");
        return new KeyEventCapture() {
            @Override
            public List<String> drain() {
                control.call("PUBLISH", "capture-marker", "x");
                List<String> out = new ArrayList<>();
                while (true) {
                    RespValue m = sub.read();
                    if (m.get(0).text().equals("message")) {
                        return out;
                    }
                    String channel = m.get(2).text();
                    out.add(channel.substring(channel.indexOf(':') + 1) + " " + m.get(3).text());
                }
            }

            @Override
            public void close() {
                control.call("CONFIG", "SET", "notify-keyspace-events", "");
                control.close();
                sub.close();
            }
        };
    }

    private static final class Observer implements KeyspaceObserver {
        final List<String> events = new ArrayList<>();

        @Override
        public void event(int type, String event, byte[] key, int dbId) {
            if ((type & EventType.ALL) == 0) {
                return; // keymiss and new-key events are not part of "A"
            }
            synchronized (events) {
                events.add(event + " " + new String(key, StandardCharsets.UTF_8));
            }
        }
    }
}
