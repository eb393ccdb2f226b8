package dev.trellis.server.commands.string;

import dev.trellis.server.keyspace.KeyspaceObserver;
import dev.trellis.server.testing.TestServer;
import dev.trellis.server.types.RedisValue;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Test helpers that reach into a running test server on its own thread. */
public final class ServerThread {
    private ServerThread() {
    }

    /** Runs {@code task} on the server thread and returns its result. */
    public static <T> T call(TestServer s, Supplier<T> task) {
        try {
            return s.server().scheduler().submit(task::get).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void run(TestServer s, Runnable task) {
        call(s, () -> {
            task.run();
            return null;
        });
    }

    /** Stores a non-string value at {@code key} in db 0 (for WRONGTYPE cases). */
    public static void putOtherType(TestServer s, String key) {
        run(s, () -> s.server().keyspace().db(0).set(key.getBytes(), new OtherType(), false));
    }

    /** A value of a type other than string, standing in for a list. */
    public record OtherType() implements RedisValue {
        @Override
        public String typeName() {
            return "list";
        }

        @Override
        public String encoding() {
            return "listpack";
        }

        @Override
        public RedisValue copy() {
            return new OtherType();
        }

        @Override
        public long memoryUsage() {
            return 16;
        }
    }

    /** Records keyspace events as "event key@db". */
    public static final class EventLog implements KeyspaceObserver {
        public final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void event(int type, String event, byte[] key, int dbId) {
            events.add(event + " " + new String(key) + "@" + dbId);
        }

        public List<String> take() {
            List<String> copy = List.copyOf(events);
            events.clear();
            return copy;
        }
    }
}
