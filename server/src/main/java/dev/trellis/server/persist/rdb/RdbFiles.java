package dev.trellis.server.persist.rdb;

import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.EventType;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.keyspace.KeyHash;
import dev.trellis.server.keyspace.Keyspace;
import dev.trellis.server.persist.DurableFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongConsumer;

/** Whole-file RDB operations done in one go on the calling thread (SAVE, DEBUG RELOAD, tests). */
public final class RdbFiles {
    private RdbFiles() {
    }

    /** A sink writing straight to a channel. */
    public static RdbOutput.Sink channelSink(FileChannel ch) {
        return (b, off, len) -> {
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
        };
    }

    /**
     * Saves the keyspace to {@code target} through a synced temporary file. {@code perKey} is
     * called after each key (rdb-key-save-delay sleeps there).
     */
    public static void save(Keyspace ks, Path target, RdbSnapshot.Options opt, boolean compression, boolean checksum,
                            LongConsumer perKey) throws IOException {
        Path tmp = target.resolveSibling("temp-" + ProcessHandle.current().pid() + ".rdb");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            RdbOutput out = new RdbOutput(channelSink(ch), compression);
            write(ks, out, opt, checksum, perKey);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        DurableFiles.commit(tmp, target);
    }

    /** Writes a complete RDB stream of the keyspace into {@code out}. */
    public static void write(Keyspace ks, RdbOutput out, RdbSnapshot.Options opt, boolean checksum, LongConsumer perKey) {
        RdbSnapshot snap = new RdbSnapshot(ks, out, opt, () -> true);
        snap.writeHeader();
        if (perKey == null) {
            snap.step(Long.MAX_VALUE);
        } else {
            while (!snap.step(1)) {
                perKey.accept(snap.keysWritten());
            }
        }
        snap.writeTrailer(checksum);
    }

    /** Loads a whole RDB stream into the keyspace (keys must not exist yet unless {@code replace}). */
    public static RdbLoader load(RdbInput in, Keyspace ks, boolean verifyChecksum, boolean dropExpired, boolean replace) {
        return load(in, ks, null, verifyChecksum, dropExpired, replace);
    }

    /** Loads with the encoding limits of {@code config} (null: defaults). */
    public static RdbLoader load(RdbInput in, Keyspace ks, dev.trellis.server.config.Config config, boolean verifyChecksum,
                                 boolean dropExpired, boolean replace) {
        return load(in, ks, config, verifyChecksum, dropExpired, replace, null);
    }

    /** As above, telling {@code progress} the input position after each key (loading progress events). */
    public static RdbLoader load(RdbInput in, Keyspace ks, dev.trellis.server.config.Config config, boolean verifyChecksum,
                                 boolean dropExpired, boolean replace, LongConsumer progress) {
        KeyspaceTarget target = new KeyspaceTarget(ks, replace);
        RdbLoader loader = new RdbLoader(in, ks.databases(), target, verifyChecksum, dropExpired);
        loader.context().config = config;
        if (progress != null) {
            loader.onProgress(progress);
        }
        loader.loadAll();
        loader.functions = target.functions;
        return loader;
    }

    /** Puts loaded keys into the keyspace, with their expiry and access hints. */
    public static final class KeyspaceTarget implements RdbLoader.Target {
        private final Keyspace ks;
        private final boolean replace;
        public java.util.List<byte[]> functions = new java.util.ArrayList<>();

        public KeyspaceTarget(Keyspace ks, boolean replace) {
            this.ks = ks;
            this.replace = replace;
        }

        @Override
        public void key(int dbId, byte[] key, Object value, long expireAt, long lruIdle, int lfuFreq) {
            key(dbId, key, KeyHash.hash(key), value, expireAt, lruIdle, lfuFreq);
        }

        /** {@link #key(int, byte[], Object, long, long, int)} with the key's hash computed by the decoder. */
        public void key(int dbId, byte[] key, int hash, Object value, long expireAt, long lruIdle, int lfuFreq) {
            Database db = ks.db(dbId);
            if (db.dict().find(key, hash) != null) {
                if (!replace) {
                    throw RdbException.corrupt("RDB has duplicated key '" + new String(key, java.nio.charset.StandardCharsets.UTF_8)
                            + "' in DB " + dbId);
                }
                db.delete(key);
            }
            KeyEntry e = db.add(key, hash, value);
            if (expireAt != -1) {
                db.setExpire(e, expireAt);
            }
            AccessHints.apply(ks, e, lruIdle, lfuFreq);
            // As Redis, modules subscribed to "loaded" hear of each key read from a file
            // (a module-only event: notify-keyspace-events has no class for it).
            ks.notify(EventType.LOADED, "loaded", key, dbId);
        }

        /** Warms the table slots of keys about to be added (see {@code Dict.touch}); returns a checksum to keep the reads. */
        public int prefetch(int dbId, byte[] key, int hash) {
            return ks.db(dbId).dict().touch(key, hash);
        }

        @Override
        public void resize(int dbId, long keys, long expires) {
            ks.db(dbId).dict().expand(keys);
        }

        @Override
        public void function(byte[] code) {
            functions.add(code);
        }
    }
}
