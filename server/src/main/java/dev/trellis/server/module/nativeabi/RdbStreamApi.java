package dev.trellis.server.module.nativeabi;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.module.ModuleContext;
import dev.trellis.server.persist.Persistence;
import java.nio.file.Path;

/**
 * RDB streams: a module saves the dataset to a file or replaces the dataset with one
 * (RdbStreamCreateFromFile, RdbStreamFree, RdbSave, RdbLoad). A stream is a native record of
 * its kind and a copy of the file name, as Redis's.
 */
final class RdbStreamApi {
    private static final int OK = 0;
    private static final int ERR = 1;
    private static final int ENOENT = 2;
    private static final int EIO = 5;
    private static final int EINVAL = 22;
    private static final int ENOTSUP = 95;
    /** The only kind of stream: a file. */
    private static final int STREAM_FILE = 1;

    private RdbStreamApi() {
    }

    @Api
    static long RdbStreamCreateFromFile(long filenamep) {
        long stream = Native.malloc(16);
        Native.MEM.set(Native.I, stream, STREAM_FILE);
        Native.MEM.set(Native.J, stream + 8, Native.cString(Native.readCString(filenamep)));
        return stream;
    }

    @Api
    static void RdbStreamFree(long stream) {
        if (stream == 0) {
            return;
        }
        Native.free(Native.MEM.get(Native.J, stream + 8));
        Native.free(stream);
    }

    @Api(onError = ERR)
    static int RdbSave(long ctxp, long stream, int flags) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        if (stream == 0 || flags != 0) {
            NativeRuntime.get().errno(EINVAL);
            return ERR;
        }
        Persistence p = Persistence.of(ctx.host().server());
        if (p == null || !p.saveTo(file(stream))) {
            return ERR;
        }
        NativeRuntime.get().errno(0);
        return OK;
    }

    @Api(onError = ERR)
    static int RdbLoad(long ctxp, long stream, int flags) {
        ModuleContext ctx = CoreApi.ctx(ctxp);
        if (stream == 0 || flags != 0) {
            NativeRuntime.get().errno(EINVAL);
            return ERR;
        }
        Server server = ctx.host().server();
        if (server.propagation().replicaRole() != null) {
            NativeRuntime.get().errno(ENOTSUP); // not on a replica
            return ERR;
        }
        // Replicas would hold a dataset that is going away: they reconnect and sync again.
        for (Client c : java.util.List.copyOf(server.clients().values())) {
            if ((c.flags & Client.FLAG_REPLICA) != 0 && c.transport() != null) {
                c.transport().close(false);
            }
        }
        Persistence p = Persistence.of(server);
        Persistence.LoadResult r = p == null ? Persistence.LoadResult.FAILED : p.loadFrom(file(stream));
        if (r != Persistence.LoadResult.OK) {
            NativeRuntime.get().errno(r == Persistence.LoadResult.NOT_FOUND ? ENOENT : EIO);
            return ERR;
        }
        NativeRuntime.get().errno(0);
        return OK;
    }

    private static Path file(long stream) {
        return Path.of(Native.readCString(Native.MEM.get(Native.J, stream + 8)));
    }
}
