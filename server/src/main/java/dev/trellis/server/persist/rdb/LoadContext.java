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

    public LoadContext(byte[] key, int dbId, boolean deepSanitize) {
        this.key = key;
        this.dbId = dbId;
        this.deepSanitize = deepSanitize;
    }
}
