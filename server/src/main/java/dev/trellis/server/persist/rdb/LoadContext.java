package dev.trellis.server.persist.rdb;

/**
 * What value decoding may need to know: which key and database the value is for (module
 * types get them), and whether to check compact encodings deeply (sanitize-dump-payload).
 */
public final class LoadContext {
    public byte[] key;
    public int dbId;
    public boolean deepSanitize;
    /** Incremented for every deep sanitization (INFO's dump_payload_sanitizations). */
    public long sanitizations;

    /** The server's configuration (encoding limits of loaded values); defaults when null. */
    public dev.trellis.server.config.Config config;
    private static dev.trellis.server.config.Config defaults;

    public LoadContext() {
    }

    /** The configuration to build values with. */
    public dev.trellis.server.config.Config config() {
        if (config != null) {
            return config;
        }
        synchronized (LoadContext.class) {
            if (defaults == null) {
                defaults = new dev.trellis.server.config.Config();
            }
            return defaults;
        }
    }

    // The limits of the configuration, looked up once per load rather than once per value.
    private dev.trellis.server.types.hash.HashLimits hashLimits;
    private dev.trellis.server.types.set.SetLimits setLimits;
    private dev.trellis.server.types.list.ListLimits listLimits;

    public dev.trellis.server.types.hash.HashLimits hashLimits() {
        if (hashLimits == null) {
            hashLimits = dev.trellis.server.types.hash.HashLimits.of(config());
        }
        return hashLimits;
    }

    public dev.trellis.server.types.set.SetLimits setLimits() {
        if (setLimits == null) {
            setLimits = dev.trellis.server.types.set.SetLimits.of(config());
        }
        return setLimits;
    }

    public dev.trellis.server.types.list.ListLimits listLimits() {
        if (listLimits == null) {
            listLimits = dev.trellis.server.types.list.ListLimits.of(config());
        }
        return listLimits;
    }

    public LoadContext(byte[] key, int dbId, boolean deepSanitize) {
        this.key = key;
        this.dbId = dbId;
        this.deepSanitize = deepSanitize;
    }
}
