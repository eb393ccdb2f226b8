package dev.trellis.server.module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Module sections of INFO (RegisterInfoFunc): each module's callback writes its sections
 * through an {@link InfoContext} when INFO asks for "everything", "modules", the module's name
 * or one of its "&lt;module&gt;_&lt;section&gt;" names.
 */
public final class ModuleInfo {
    /** A module's info callback, supplied by its face. */
    public interface Callback {
        void write(InfoContext ctx, boolean forCrashReport);
    }

    private final ModuleHost host;
    private final Map<Module, Callback> callbacks = new LinkedHashMap<>();

    public ModuleInfo(ModuleHost host) {
        this.host = host;
        host.server().info().moduleSections(this::sections);
        host.addListener(new ModuleHost.Listener() {
            @Override
            public void unregistering(Module m) {
                callbacks.remove(m);
            }
        });
    }

    public static ModuleInfo of(ModuleHost host) {
        return host.service(ModuleInfo.class, ModuleInfo::new);
    }

    public void register(Module m, Callback cb) {
        callbacks.put(m, cb);
    }

    /** Every module's sections for {@code asked} (null: all of them). */
    public List<String> sections(Set<String> asked) {
        List<String> out = new ArrayList<>();
        for (Module m : host.modules()) {
            Callback cb = callbacks.get(m);
            if (cb == null) {
                continue;
            }
            InfoContext ctx = new InfoContext(m, asked);
            cb.write(ctx, false);
            out.addAll(ctx.finish());
        }
        return out;
    }

    /**
     * {@code RedisModuleInfoCtx}: sections, fields and dictionary fields, formatted as Redis
     * formats them ("# module_section", "module_field:value", "module_dict:k=v,k=v").
     */
    public static final class InfoContext {
        private final Module module;
        private final Set<String> asked;
        private final String safeModule;
        private StringBuilder current;
        private boolean inDict;
        /** Native face: the RedisModuleInfoCtx* handle. */
        public long address;

        InfoContext(Module module, Set<String> asked) {
            this.module = module;
            this.asked = asked;
            this.safeModule = safe(module.name());
        }

        public Module module() {
            return module;
        }

        /** Redis's getSafeInfoString: '#', ':', CR and LF become '_'. */
        static String safe(String s) {
            return s.replace('#', '_').replace(':', '_').replace('\n', '_').replace('\r', '_');
        }

        /** InfoAddSection: false when the section was not asked for (its fields are dropped). */
        public boolean addSection(String name) {
            String full = name == null || name.isEmpty() ? module.name() : module.name() + "_" + name;
            if (inDict) {
                endDict();
            }
            if (asked != null && !asked.contains(full.toLowerCase(Locale.ROOT))
                    && !asked.contains(module.name().toLowerCase(Locale.ROOT))) {
                current = null;
                return false;
            }
            current = new StringBuilder();
            current.append("# ").append(full).append("\r\n");
            sectionBuilders.add(current);
            return true;
        }

        private final List<StringBuilder> sectionBuilders = new ArrayList<>();

        public boolean beginDict(String name) {
            if (current == null) {
                return false;
            }
            if (inDict) {
                endDict();
            }
            current.append(safeModule).append('_').append(safe(name)).append(':');
            inDict = true;
            return true;
        }

        public boolean endDict() {
            if (!inDict || current == null) {
                return false;
            }
            int n = current.length();
            if (n > 0 && current.charAt(n - 1) == ',') {
                current.setLength(n - 1);
            }
            current.append("\r\n");
            inDict = false;
            return true;
        }

        /** InfoAddField*: false outside a section that was asked for. */
        public boolean addField(String field, String value) {
            if (current == null) {
                return false;
            }
            if (inDict) {
                current.append(field).append('=').append(value).append(',');
            } else {
                current.append(safeModule).append('_').append(field).append(':').append(value).append("\r\n");
            }
            return true;
        }

        List<String> finish() {
            if (inDict) {
                endDict();
            }
            List<String> out = new ArrayList<>(sectionBuilders.size());
            for (StringBuilder b : sectionBuilders) {
                out.add(b.toString());
            }
            return out;
        }
    }
}
