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

    public LoadContext() {
    }

    public LoadContext(byte[] key, int dbId, boolean deepSanitize) {
        this.key = key;
        this.dbId = dbId;
        this.deepSanitize = deepSanitize;
    }
}
