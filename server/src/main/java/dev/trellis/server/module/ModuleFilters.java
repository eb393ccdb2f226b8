package dev.trellis.server.module;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.Dispatcher;
import dev.trellis.server.log.ServerLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Command filters (RegisterCommandFilter): every request, from clients and from module Calls,
 * passes through the filters in registration order before it is looked up, and a filter may
 * read, insert, replace and delete arguments. A filter registered with
 * REDISMODULE_CMDFILTER_NOSELF does not see the Calls of its own module.
 */
public final class ModuleFilters implements Dispatcher.ArgvFilter {
    public static final int NOSELF = 1;

    /** A module's filter callback, supplied by its face. */
    public interface Callback {
        void filter(FilterContext ctx);
    }

    /** One registered filter. */
    public static final class Filter {
        final Module module;
        final int flags;
        final Callback callback;
        /** Native face: the RedisModuleCommandFilter* handle. */
        public long address;

        Filter(Module module, int flags, Callback callback) {
            this.module = module;
            this.flags = flags;
            this.callback = callback;
        }

        public Module module() {
            return module;
        }
    }

    /** {@code RedisModuleCommandFilterCtx}: the arguments being filtered. */
    public static final class FilterContext {
        private final List<byte[]> args;
        private final long clientId;
        /** Native face: the handle, and whatever it keeps per argument. */
        public long address;
        public Object faceState;

        FilterContext(byte[][] argv, int argc, long clientId) {
            this.args = new ArrayList<>(Arrays.asList(argv).subList(0, argc));
            this.clientId = clientId;
        }

        public int count() {
            return args.size();
        }

        public byte[] get(int pos) {
            return pos < 0 || pos >= args.size() ? null : args.get(pos);
        }

        public boolean insert(int pos, byte[] arg) {
            if (pos < 0 || pos > args.size()) {
                return false;
            }
            args.add(pos, arg);
            return true;
        }

        public boolean replace(int pos, byte[] arg) {
            if (pos < 0 || pos >= args.size()) {
                return false;
            }
            args.set(pos, arg);
            return true;
        }

        public boolean delete(int pos) {
            if (pos < 0 || pos >= args.size()) {
                return false;
            }
            args.remove(pos);
            return true;
        }

        public long clientId() {
            return clientId;
        }

        byte[][] toArgv() {
            return args.toArray(new byte[0][]);
        }
    }

    private final CopyOnWriteArrayList<Filter> filters = new CopyOnWriteArrayList<>();

    public ModuleFilters(ModuleHost host) {
        host.server().dispatcher().addArgvFilter(this);
        host.addListener(new ModuleHost.Listener() {
            @Override
            public void unregistering(Module m) {
                filters.removeIf(f -> f.module == m);
            }
        });
    }

    public static ModuleFilters of(ModuleHost host) {
        return host.service(ModuleFilters.class, ModuleFilters::new);
    }

    public Filter register(Module m, int flags, Callback cb) {
        Filter f = new Filter(m, flags, cb);
        filters.add(f);
        return f;
    }

    /** UnregisterCommandFilter: only the module's own filters. */
    public boolean unregister(Module m, Filter f) {
        return f.module == m && filters.remove(f);
    }

    /** How many filters a module registered (INFO modules' "filters"). */
    public int count(Module m) {
        int n = 0;
        for (Filter f : filters) {
            if (f.module == m) {
                n++;
            }
        }
        return n;
    }

    @Override
    public byte[][] filter(Client c, byte[][] argv, int argc, Object caller) {
        if (filters.isEmpty()) {
            return argv;
        }
        FilterContext ctx = null;
        for (Filter f : filters) {
            if ((f.flags & NOSELF) != 0 && caller == f.module) {
                continue;
            }
            if (ctx == null) {
                ctx = new FilterContext(argv, argc, c == null ? 0 : c.id());
            }
            try {
                f.callback.filter(ctx);
            } catch (Throwable t) {
                ServerLog.get().warning("Module " + f.module.name() + " command filter failed: " + t);
            }
        }
        return ctx == null ? argv : ctx.toArgv();
    }
}
