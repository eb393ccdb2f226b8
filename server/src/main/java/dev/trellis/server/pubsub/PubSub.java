package dev.trellis.server.pubsub;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.util.ByteKey;
import dev.trellis.server.util.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Publish/subscribe: the server-side registry of channels, patterns and shard channels with
 * their subscribers, and delivery. A message is written straight into each subscriber's reply
 * buffer (a RESP3 push, or a RESP2 array) and sent by the {@link Outbox}. Subscribed clients
 * carry {@link Client#FLAG_PUBSUB}, which also selects the "pubsub" class of
 * client-output-buffer-limit for them.
 */
public final class PubSub {
    /** The two channel namespaces: classic channels and shard channels (SSUBSCRIBE/SPUBLISH). */
    public enum Kind {
        CHANNEL("subscribe", "unsubscribe", "message"),
        SHARD("ssubscribe", "sunsubscribe", "smessage");

        final byte[] subscribe;
        final byte[] unsubscribe;
        final byte[] message;

        Kind(String sub, String unsub, String msg) {
            subscribe = bulk(sub);
            unsubscribe = bulk(unsub);
            message = bulk(msg);
        }
    }

    private static final byte[] PSUBSCRIBE = bulk("psubscribe");
    private static final byte[] PUNSUBSCRIBE = bulk("punsubscribe");
    private static final byte[] PMESSAGE = bulk("pmessage");

    private final Server server;
    private final Outbox outbox;
    /**
     * Messages for the client whose top-level command published them (to a channel it is
     * subscribed to): as Redis 7.2+, they follow that command's reply (after EXEC's, too)
     * instead of landing in the middle of it.
     */
    private final List<Deferred> deferred = new ArrayList<>();
    private final dev.trellis.server.command.Dispatcher.Hook deferredHook;

    private record Deferred(Client client, Kind kind, byte[] pattern, byte[] channel, byte[] message) {
    }
    private final Map<ByteKey, LinkedHashSet<Client>> channels = new HashMap<>();
    private final Map<ByteKey, LinkedHashSet<Client>> shardChannels = new HashMap<>();
    private final Map<ByteKey, LinkedHashSet<Client>> patterns = new LinkedHashMap<>();

    public PubSub(Server server, Outbox outbox) {
        this.server = server;
        this.outbox = outbox;
        // Called only while messages wait for the running command to finish.
        deferredHook = server.dispatcher().addObserver((c, cmd, dirty, startMs, micros) -> {
            if (!deferred.isEmpty() && server.dispatcher().depth() == 0) {
                sendDeferred();
            }
        });
        deferredHook.enabled(false);
        server.onClientClose(c -> unsubscribeAll(c, false));
        server.onClientReset(c -> unsubscribeAll(c, false));
        server.info().gauge("pubsub_channels", channels::size);
        server.info().gauge("pubsub_patterns", patterns::size);
        server.info().gauge("pubsubshard_channels", shardChannels::size);
        server.info().clientField("sub", c -> c.pubsubState instanceof Subscriptions s ? s.channels.size() : 0);
        server.info().clientField("psub", c -> c.pubsubState instanceof Subscriptions s ? s.patterns.size() : 0);
        server.info().clientField("ssub", c -> c.pubsubState instanceof Subscriptions s ? s.shardChannels.size() : 0);
    }

    private static byte[] bulk(String s) {
        return ("$" + s.length() + "\r\n" + s + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static Subscriptions subs(Client c) {
        if (c.pubsubState instanceof Subscriptions s) {
            return s;
        }
        Subscriptions s = new Subscriptions();
        c.pubsubState = s;
        return s;
    }

    private Map<ByteKey, LinkedHashSet<Client>> registry(Kind kind) {
        return kind == Kind.CHANNEL ? channels : shardChannels;
    }

    private static LinkedHashSet<ByteKey> clientSet(Subscriptions s, Kind kind) {
        return kind == Kind.CHANNEL ? s.channels : s.shardChannels;
    }

    private static int count(Subscriptions s, Kind kind) {
        return kind == Kind.CHANNEL ? s.classicCount() : s.shardChannels.size();
    }

    private static void updateFlag(Client c, Subscriptions s) {
        if (s.total() == 0) {
            c.flags &= ~Client.FLAG_PUBSUB;
        } else {
            c.flags |= Client.FLAG_PUBSUB;
        }
    }

    /** True when nobody is subscribed to anything (publishing can skip all work). */
    public boolean idle() {
        return channels.isEmpty() && patterns.isEmpty() && shardChannels.isEmpty();
    }

    // --- subscribe / unsubscribe ---------------------------------------------------------

    /** SUBSCRIBE / SSUBSCRIBE: subscribes and confirms each channel. */
    public void subscribe(Client c, Kind kind, byte[] channel) {
        Subscriptions s = subs(c);
        ByteKey k = new ByteKey(channel);
        if (clientSet(s, kind).add(k)) {
            registry(kind).computeIfAbsent(k, x -> new LinkedHashSet<>()).add(c);
        }
        c.flags |= Client.FLAG_PUBSUB;
        confirm(c, kind.subscribe, channel, count(s, kind));
    }

    /** UNSUBSCRIBE / SUNSUBSCRIBE of one channel, confirmed even when not subscribed. */
    public void unsubscribe(Client c, Kind kind, byte[] channel, boolean notify) {
        Subscriptions s = subs(c);
        ByteKey k = new ByteKey(channel);
        if (clientSet(s, kind).remove(k)) {
            removeFromRegistry(registry(kind), k, c);
        }
        updateFlag(c, s);
        if (notify) {
            confirm(c, kind.unsubscribe, channel, count(s, kind));
        }
    }

    /** Unsubscribes from every channel of {@code kind}; with none, confirms with a null channel. */
    public void unsubscribeAll(Client c, Kind kind, boolean notify) {
        Subscriptions s = subs(c);
        List<ByteKey> all = new ArrayList<>(clientSet(s, kind));
        for (ByteKey k : all) {
            unsubscribe(c, kind, k.bytes(), notify);
        }
        if (notify && all.isEmpty()) {
            confirm(c, kind.unsubscribe, null, count(s, kind));
        }
    }

    public void psubscribe(Client c, byte[] pattern) {
        Subscriptions s = subs(c);
        ByteKey k = new ByteKey(pattern);
        if (s.patterns.add(k)) {
            patterns.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(c);
        }
        c.flags |= Client.FLAG_PUBSUB;
        confirm(c, PSUBSCRIBE, pattern, s.classicCount());
    }

    public void punsubscribe(Client c, byte[] pattern, boolean notify) {
        Subscriptions s = subs(c);
        ByteKey k = new ByteKey(pattern);
        if (s.patterns.remove(k)) {
            removeFromRegistry(patterns, k, c);
        }
        updateFlag(c, s);
        if (notify) {
            confirm(c, PUNSUBSCRIBE, pattern, s.classicCount());
        }
    }

    public void punsubscribeAll(Client c, boolean notify) {
        Subscriptions s = subs(c);
        List<ByteKey> all = new ArrayList<>(s.patterns);
        for (ByteKey k : all) {
            punsubscribe(c, k.bytes(), notify);
        }
        if (notify && all.isEmpty()) {
            confirm(c, PUNSUBSCRIBE, null, s.classicCount());
        }
    }

    /** Drops every subscription of {@code c} (RESET, disconnection). */
    public void unsubscribeAll(Client c, boolean notify) {
        if (!(c.pubsubState instanceof Subscriptions)) {
            return;
        }
        unsubscribeAll(c, Kind.CHANNEL, notify);
        unsubscribeAll(c, Kind.SHARD, notify);
        punsubscribeAll(c, notify);
        c.pubsubState = null;
        c.flags &= ~Client.FLAG_PUBSUB;
    }

    private static void removeFromRegistry(Map<ByteKey, LinkedHashSet<Client>> reg, ByteKey k, Client c) {
        LinkedHashSet<Client> set = reg.get(k);
        if (set != null) {
            set.remove(c);
            if (set.isEmpty()) {
                reg.remove(k); // keep the registry from growing with abandoned channels
            }
        }
    }

    private static void confirm(Client c, byte[] kindBulk, byte[] channel, int count) {
        Reply r = c.reply();
        r.push(3);
        r.raw(kindBulk);
        if (channel == null) {
            r.nullBulk();
        } else {
            r.bulk(channel);
        }
        r.integer(count);
    }

    // --- publishing ----------------------------------------------------------------------

    /** Delivers {@code message} to the subscribers of {@code channel}; returns how many got it. */
    public int publish(Kind kind, byte[] channel, byte[] message) {
        int receivers = 0;
        Client self = server.dispatcher().topLevel();
        LinkedHashSet<Client> subscribers = registry(kind).get(new ByteKey(channel));
        if (subscribers != null) {
            for (Client c : subscribers) {
                if (c == self) {
                    deferred.add(new Deferred(c, kind, null, channel, message));
                    deferredHook.enabled(true);
                } else {
                    writeMessage(c, kind, null, channel, message);
                }
                receivers++;
            }
        }
        if (kind == Kind.SHARD || patterns.isEmpty()) {
            return receivers;
        }
        for (Map.Entry<ByteKey, LinkedHashSet<Client>> e : patterns.entrySet()) {
            byte[] pattern = e.getKey().bytes();
            if (!Glob.match(pattern, channel, false)) {
                continue;
            }
            for (Client c : e.getValue()) {
                if (c == self) {
                    deferred.add(new Deferred(c, kind, pattern, channel, message));
                    deferredHook.enabled(true);
                } else {
                    writeMessage(c, kind, pattern, channel, message);
                }
                receivers++;
            }
        }
        return receivers;
    }

    private void writeMessage(Client c, Kind kind, byte[] pattern, byte[] channel, byte[] message) {
        Reply r = c.reply();
        if (pattern == null) {
            r.push(3);
            r.raw(kind.message);
        } else {
            r.push(4);
            r.raw(PMESSAGE);
            r.bulk(pattern);
        }
        r.bulk(channel);
        r.bulk(message);
        outbox.wrote(c);
    }

    /** Sends the messages held for the end of the top-level command (to clients still connected). */
    private void sendDeferred() {
        List<Deferred> now = new ArrayList<>(deferred);
        deferred.clear();
        deferredHook.enabled(false);
        for (Deferred d : now) {
            if (server.clients().get(d.client.id()) == d.client) {
                writeMessage(d.client, d.kind, d.pattern, d.channel, d.message);
            }
        }
    }

    /**
     * Writes a pub/sub-shaped message with a null-or-raw payload to one client (tracking
     * invalidations redirected to a RESP2 connection subscribed to {@code __redis__:invalidate}).
     */
    public void sendMessageHeader(Client c, byte[] channel) {
        Reply r = c.reply();
        r.push(3);
        r.raw(Kind.CHANNEL.message);
        r.bulk(channel);
    }

    // --- introspection -------------------------------------------------------------------

    /** Channel names (of {@code kind}) with subscribers, matching {@code pattern} if not null. */
    public List<byte[]> channels(Kind kind, byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        for (ByteKey k : registry(kind).keySet()) {
            if (pattern == null || Glob.match(pattern, k.bytes(), false)) {
                out.add(k.bytes());
            }
        }
        return out;
    }

    public int subscribers(Kind kind, byte[] channel) {
        LinkedHashSet<Client> s = registry(kind).get(new ByteKey(channel));
        return s == null ? 0 : s.size();
    }

    /** Distinct patterns with subscribers (PUBSUB NUMPAT). */
    public int patternCount() {
        return patterns.size();
    }

    /** Channels plus patterns with subscribers (INFO pubsub_channels is channels only). */
    public int channelCount() {
        return channels.size();
    }

    public int shardChannelCount() {
        return shardChannels.size();
    }

    /** True when {@code c} is subscribed to {@code channel} (tracking redirection checks this). */
    public static boolean subscribed(Client c, byte[] channel) {
        return c.pubsubState instanceof Subscriptions s && s.channels.contains(new ByteKey(channel));
    }

    /** The channels and shard channels {@code c} is subscribed to (ACL checks after a user changes). */
    public List<byte[]> channelsOf(Client c) {
        List<byte[]> out = new ArrayList<>();
        if (c.pubsubState instanceof Subscriptions s) {
            s.channels.forEach(k -> out.add(k.bytes()));
            s.shardChannels.forEach(k -> out.add(k.bytes()));
        }
        return out;
    }

    /** The patterns {@code c} is subscribed to. */
    public List<byte[]> patternsOf(Client c) {
        List<byte[]> out = new ArrayList<>();
        if (c.pubsubState instanceof Subscriptions s) {
            s.patterns.forEach(k -> out.add(k.bytes()));
        }
        return out;
    }
}
