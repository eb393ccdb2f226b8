package dev.trellis.server.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trellis.server.testing.RespClient;
import dev.trellis.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** notify-keyspace-events delivered as pub/sub messages. */
class KeyspaceNotificationsTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void keyspaceAndKeyeventChannels() {
        try (RespClient admin = server.client(); RespClient sub = server.client()) {
            admin.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
            try {
                sub.call("PSUBSCRIBE", "__key*__:*");
                admin.call("SELECT", "3");
                admin.call("SET", "foo", "bar");
                assertThat(sub.read().toString()).isEqualTo("*[$pmessage, $__key*__:*, $__keyspace@3__:foo, $set]");
                assertThat(sub.read().toString()).isEqualTo("*[$pmessage, $__key*__:*, $__keyevent@3__:set, $foo]");
                admin.call("DEL", "foo");
                assertThat(sub.read().toString()).isEqualTo("*[$pmessage, $__key*__:*, $__keyspace@3__:foo, $del]");
                assertThat(sub.read().toString()).isEqualTo("*[$pmessage, $__key*__:*, $__keyevent@3__:del, $foo]");
            } finally {
                admin.call("CONFIG", "SET", "notify-keyspace-events", "");
            }
        }
    }

    @Test
    void onlyEnabledClassesAndChannelKindsAreSent() {
        try (RespClient admin = server.client(); RespClient sub = server.client()) {
            // Keyevent only, generic commands only: SET (a string event) says nothing, DEL does.
            admin.call("CONFIG", "SET", "notify-keyspace-events", "Eg");
            try {
                assertThat(admin.call("CONFIG", "GET", "notify-keyspace-events").toString())
                        .isEqualTo("*[$notify-keyspace-events, $gE]");
                sub.call("PSUBSCRIBE", "__key*__:*");
                admin.call("SET", "k", "v");
                admin.call("DEL", "k");
                assertThat(sub.read().toString()).isEqualTo("*[$pmessage, $__key*__:*, $__keyevent@0__:del, $k]");
                admin.call("CONFIG", "SET", "notify-keyspace-events", "");
                admin.call("SET", "k", "v");
                admin.call("DEL", "k");
                // Nothing was queued before the pong.
                assertThat(sub.call("PING").toString()).isEqualTo("*[$pong, $]");
            } finally {
                admin.call("CONFIG", "SET", "notify-keyspace-events", "");
            }
        }
    }

    @Test
    void expiredKeysAreNotified() {
        try (RespClient admin = server.client(); RespClient sub = server.client()) {
            admin.call("CONFIG", "SET", "notify-keyspace-events", "Ex");
            try {
                sub.call("SUBSCRIBE", "__keyevent@0__:expired");
                admin.call("SET", "short", "v", "PX", "30");
                assertThat(sub.read().toString()).isEqualTo("*[$message, $__keyevent@0__:expired, $short]");
            } finally {
                admin.call("CONFIG", "SET", "notify-keyspace-events", "");
            }
        }
    }

    @Test
    void emptyStoreResultDeletesAnExpiredDestinationWithDel() {
        try (RespClient admin = server.client(); RespClient sub = server.client()) {
            admin.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            admin.call("CONFIG", "SET", "notify-keyspace-events", "Egx");
            try {
                sub.call("PSUBSCRIBE", "__keyevent@0__:*");
                // An already expired destination: as Redis's dbDelete, the STORE removes it
                // without looking at its TTL, so subscribers see "del", never "expired".
                for (String[] store : new String[][] {
                        {"BITOP", "NOT", "dst", "nosuchkey"},
                        {"SINTERSTORE", "dst", "nosuchkey"},
                        {"ZUNIONSTORE", "dst", "1", "nosuchkey"},
                        {"SDIFFSTORE", "dst", "nosuchkey"},
                        {"ZRANGESTORE", "dst", "nosuchkey", "0", "-1"},
                        {"GEOSEARCHSTORE", "dst", "nosuchkey", "FROMLONLAT", "0", "0", "BYRADIUS", "1", "km"},
                        {"SORT", "nosuchkey", "STORE", "dst"}}) {
                    admin.call("SET", "dst", "v", "PXAT", "1");
                    assertThat(sub.read().toString()).isEqualTo("*[$pmessage, $__keyevent@0__:*, $__keyevent@0__:expire, $dst]");
                    assertThat(admin.call(store).asLong()).isZero();
                    assertThat(sub.read().toString()).isEqualTo("*[$pmessage, $__keyevent@0__:*, $__keyevent@0__:del, $dst]");
                }
                assertThat(sub.call("PING").toString()).isEqualTo("*[$pong, $]");
            } finally {
                admin.call("CONFIG", "SET", "notify-keyspace-events", "");
                admin.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            }
        }
    }
}
