package dev.trellis.server.persist.aof;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.log.ServerLog;
import dev.trellis.server.persist.rdb.RdbFiles;
import dev.trellis.server.persist.rdb.RdbInput;
import dev.trellis.server.persist.rdb.RdbLoader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the files of a manifest in order (the base as RDB or commands, then each incremental
 * file), replaying commands through the dispatcher with an internal client, in steps so the
 * server can answer -LOADING meanwhile. A torn tail of the last file is cut off when
 * aof-load-truncated allows it, as Redis does.
 */
final class AofLoader {
    /** Loading cannot go on; the message was logged. */
    static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    private final Server server;
    private final Path dir;
    private final List<AofManifest.Entry> files = new ArrayList<>();
    private final boolean loadTruncated;
    private final Client client;
    /** Runs the request in the client's argv (made once: it runs for every command replayed). */
    private final Runnable replayOne;

    /** The internal client that replays the files' commands. */
    Client client() {
        return client;
    }
    private int index = -1;
    private FileChannel ch;
    private long size;
    private RdbLoader rdb;
    private AofCommandReader reader;
    private long validBeforeMulti;
    private boolean inMulti;
    long totalSize;
    long baseSize;
    final List<byte[]> functions = new ArrayList<>();
    long commands;
    boolean truncated;

    AofLoader(Server server, Path dir, AofManifest m, boolean loadTruncated) throws IOException, Failed {
        this.server = server;
        this.dir = dir;
        this.loadTruncated = loadTruncated;
        if (m.base != null) {
            files.add(m.base);
        }
        files.addAll(m.incr);
        for (AofManifest.Entry e : files) {
            Path p = dir.resolve(e.name());
            if (!Files.exists(p)) {
                ServerLog.get().warning("The append log file " + e.name() + " doesn't exist: No such file or directory");
                throw new Failed("missing " + e.name());
            }
            long s = Files.size(p);
            totalSize += s;
            if (e == m.base) {
                baseSize = s;
            }
        }
        this.client = server.newInternalClient();
        this.replayOne = () -> server.dispatcher().process(client);
        this.loading = dev.trellis.server.persist.Persistence.of(server).loading();
    }

    private final dev.trellis.server.persist.LoadingState loading;

    /** Total bytes consumed so far (for INFO's loading progress). */
    long position() {
        return reader != null ? reader.position() : rdb != null ? rdb.input().position() : 0;
    }

    /** Loads up to {@code max} keys or commands; true when every file was loaded. */
    boolean step(int max) throws IOException, Failed {
        int done = 0;
        while (done < max) {
            if (ch == null && !openNext()) {
                return true;
            }
            AofManifest.Entry file = files.get(index);
            if (rdb != null) {
                try {
                    if (rdb.version() == 0) {
                        rdb.header();
                    }
                    if (!rdb.step(max - done)) {
                        done = max;
                        continue;
                    }
                } catch (RuntimeException e) {
                    ServerLog.get().warning("Error reading the RDB base file " + file.name() + ", AOF loading aborted");
                    dev.trellis.server.persist.Persistence.logLoadFailure(e);
                    throw new Failed(e.getMessage());
                }
                long at = rdb.input().position();
                rdb = null;
                // The base's libraries exist before the commands that follow it run (they may
                // delete or replace them).
                dev.trellis.server.persist.Persistence.of(server).functions(new ArrayList<>(functions));
                functions.clear();
                if (at >= size) {
                    closeFile(file, "base");
                    continue;
                }
                ServerLog.get().notice("Reading the remaining AOF tail...");
                reader = new AofCommandReader(ch, at, size);
            }
            try {
                long before = reader.validUpTo();
                byte[][] argv = reader.next();
                if (argv == null) {
                    if (inMulti) {
                        ServerLog.get().warning("Revert incomplete MULTI/EXEC transaction in AOF file " + file.name());
                        discardMulti();
                        tornTail(file, validBeforeMulti);
                    }
                    closeFile(file, index == 0 && files.get(0).type() == 'b' ? "base" : "incr");
                    continue;
                }
                run(argv, file, before);
                done++;
            } catch (AofCommandReader.Truncated t) {
                if (inMulti) {
                    discardMulti();
                }
                tornTail(file, inMulti ? validBeforeMulti : reader.validUpTo());
                closeFile(file, "incr");
            } catch (AofCommandReader.BadFormat b) {
                ServerLog.get().warning("Bad file format reading the append only file " + file.name()
                        + ": make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>");
                throw new Failed("bad format");
            }
        }
        return false;
    }

    private boolean openNext() throws IOException {
        while (++index < files.size()) {
            AofManifest.Entry file = files.get(index);
            Path p = dir.resolve(file.name());
            size = Files.size(p);
            if (size == 0) {
                continue;
            }
            ch = FileChannel.open(p, StandardOpenOption.READ);
            inMulti = false;
            byte[] sig = new byte[5];
            int n = ch.read(java.nio.ByteBuffer.wrap(sig), 0);
            if (n == 5 && new String(sig, StandardCharsets.US_ASCII).equals("REDIS")) {
                ServerLog.get().notice(file.type() == 'b' ? "Reading RDB base file on AOF loading..."
                        : "Reading RDB preamble from AOF file...");
                RdbFiles.KeyspaceTarget target = new RdbFiles.KeyspaceTarget(server.keyspace(), false);
                target.functions = functions;
                rdb = new RdbLoader(RdbInput.of(ch, 0, size), server.keyspace().databases(), target, true, false);
                rdb.context().config = server.config();
                rdb.onProgress(loading::rdbPosition);
                reader = null;
            } else {
                rdb = null;
                reader = new AofCommandReader(ch, 0, size);
            }
            return true;
        }
        return false;
    }

    private void run(byte[][] argv, AofManifest.Entry file, long before) throws Failed {
        if (server.commands().lookup(argv[0]) == null) {
            ServerLog.get().warning("Unknown command '" + new String(argv[0], StandardCharsets.UTF_8)
                    + "' reading the append only file " + file.name());
            throw new Failed("unknown command");
        }
        String name = new String(argv[0], StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
        if (name.equals("multi")) {
            validBeforeMulti = before;
            inMulti = true;
        } else if (name.equals("exec") || name.equals("discard")) {
            inMulti = false;
        }
        loading.aofCommand(position());
        client.argv = argv;
        client.argc = argv.length;
        server.dispatcher().uncounted(replayOne);
        client.reply().buffer().clear();
        commands++;
    }

    private void discardMulti() {
        client.argv = new byte[][] {"DISCARD".getBytes(StandardCharsets.US_ASCII)};
        client.argc = 1;
        server.dispatcher().uncounted(replayOne);
        client.reply().buffer().clear();
        inMulti = false;
    }

    /** The file ends inside a command: cut it at {@code validUpTo} when allowed, else fail. */
    private void tornTail(AofManifest.Entry file, long validUpTo) throws IOException, Failed {
        boolean last = index == files.size() - 1;
        if (loadTruncated && last) {
            ServerLog.get().warning("!!! Warning: short read while loading the AOF file " + file.name() + "!!!");
            ServerLog.get().warning("!!! Truncating the AOF " + file.name() + " at offset " + validUpTo + " !!!");
            try (FileChannel w = FileChannel.open(dir.resolve(file.name()), StandardOpenOption.WRITE)) {
                w.truncate(validUpTo);
                w.force(true);
            }
            ServerLog.get().warning("AOF " + file.name() + " loaded anyway because aof-load-truncated is enabled");
            truncated = true;
            return;
        }
        if (loadTruncated) {
            ServerLog.get().warning("Fatal error: the truncated file is not the last file");
            throw new Failed("truncated file is not the last");
        }
        ServerLog.get().warning("Unexpected end of file reading the append only file " + file.name() + ". You can: "
                + "1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. "
                + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.");
        throw new Failed("unexpected end of file");
    }

    private void closeFile(AofManifest.Entry file, String kind) throws IOException {
        if (ch != null) {
            ch.close();
            ch = null;
        }
        rdb = null;
        reader = null;
        ServerLog.get().notice("DB loaded from " + (file.type() == 'b' ? "base" : "incr") + " file " + file.name());
    }

    void close() {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
    }
}
