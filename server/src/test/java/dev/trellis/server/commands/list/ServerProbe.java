package dev.trellis.server.commands.list;

import dev.trellis.server.keyspace.KeyspaceObserver;
import dev.trellis.server.testing.TestServer;
import dev.trellis.server.types.Values;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Looks inside a running {@link TestServer} from a test: value encodings (read on the server
 * thread), the keyspace events commands emit and the arguments they propagate.
 */
public final class ServerProbe {
    private final TestServer server;
    private final List<String> events = new ArrayList<>();
    private final List<String> propagated = new ArrayList<>();
    private final List<String> stream = new ArrayList<>();

    public ServerProbe(TestServer server) {
        this.server = server;
        onServer(() -> {
            server.server().keyspace().addObserver(new KeyspaceObserver() {
                @Override
                public void event(int type, String event, byte[] key, int dbId) {
                    // "new" and "keymiss" are opt-in classes (n, m) that the keyspace fires itself.
                    if ((type & (dev.trellis.server.keyspace.EventType.NEW | dev.trellis.server.keyspace.EventType.KEY_MISS)) != 0) {
                        return;
                    }
                    synchronized (events) {
                        events.add(event + " " + new String(key, StandardCharsets.UTF_8));
                    }
                }
            });
            server.server().propagation().addSink((db, argv) -> {
                synchronized (stream) {
                    stream.add(String.join(" ", Arrays.stream(argv)
                            .map(a -> new String(a, StandardCharsets.UTF_8)).toList()));
                }
            });
            server.server().dispatcher().addObserver((c, cmd, dirty, startMs, micros) -> {
                if (c.propagateArgv != null) {
                    synchronized (propagated) {
                        propagated.add(String.join(" ", Arrays.stream(c.propagateArgv)
                                .map(a -> new String(a, StandardCharsets.UTF_8)).toList()));
                    }
                }
            });
            return null;
        });
    }

    /** Runs {@code s} on the server thread and returns its result. */
    public <T> T onServer(Supplier<T> s) {
        try {
            return CompletableFuture.supplyAsync(s, server.server().executor()).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** OBJECT ENCODING of {@code key} in db 0, or null when missing. */
    public String encoding(String key) {
        return onServer(() -> {
            Object v = server.server().keyspace().db(0).peek(key.getBytes(StandardCharsets.UTF_8)) == null ? null
                    : server.server().keyspace().db(0).peek(key.getBytes(StandardCharsets.UTF_8)).value();
            return v == null ? null : Values.encoding(v);
        });
    }

    /** The value object at {@code key} in db 0 (to call its Java API in tests). */
    public Object value(String key) {
        return onServer(() -> {
            var e = server.server().keyspace().db(0).peek(key.getBytes(StandardCharsets.UTF_8));
            return e == null ? null : e.value();
        });
    }

    /** Events recorded since the last call ("lpush mylist", "del mylist"...). */
    public List<String> takeEvents() {
        return onServer(() -> {
            synchronized (events) {
                List<String> out = new ArrayList<>(events);
                events.clear();
                return out;
            }
        });
    }

    /** The propagation stream (what the AOF and replicas get) since the last call. */
    public List<String> takeStream() {
        return onServer(() -> {
            synchronized (stream) {
                List<String> out = new ArrayList<>(stream);
                stream.clear();
                return out;
            }
        });
    }

    /** Rewritten commands recorded since the last call. */
    public List<String> takePropagated() {
        return onServer(() -> {
            synchronized (propagated) {
                List<String> out = new ArrayList<>(propagated);
                propagated.clear();
                return out;
            }
        });
    }
}
