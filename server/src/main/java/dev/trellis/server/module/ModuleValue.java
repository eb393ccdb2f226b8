package dev.trellis.server.module;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.HeldValue;
import dev.trellis.server.types.RedisValue;
import java.security.MessageDigest;

/**
 * A key's value of a module data type: the type and the module's opaque pointer. TYPE reports
 * the type's name, OBJECT ENCODING "raw" (as Redis), MEMORY USAGE asks the module, COPY uses
 * the module's copy callback, DEBUG DIGEST its digest callback.
 *
 * <p>The module's free callback runs once no key holds the value any more, at the end of the
 * command that let it go (so a value moved between keys within one command is never freed).
 */
public final class ModuleValue implements RedisValue, HeldValue {
    private static final CommandError NOT_SUPPORTED = CommandError.of("ERR not supported for this module key");
    private static final CommandError COPY_FAILED = CommandError.of("ERR module key failed to copy");

    private final DataTypes types;
    private final ModuleType type;
    private long value;
    private int holders;
    private boolean freed;

    public ModuleValue(DataTypes types, ModuleType type, long value) {
        this.types = types;
        this.type = type;
        this.value = value;
    }

    public ModuleType type() {
        return type;
    }

    /** The module's pointer. */
    public long value() {
        return value;
    }

    /** ModuleTypeReplaceValue: the value object stays, the module's pointer changes. */
    public long replace(long newValue) {
        long old = value;
        value = newValue;
        return old;
    }

    public boolean freed() {
        return freed;
    }

    @Override
    public String typeName() {
        return type.name();
    }

    @Override
    public String encoding() {
        return "raw";
    }

    /** COPY: the module's copy callback with the command's key names and databases. */
    @Override
    public RedisValue copy() {
        if (!type.callbacks().hasCopy()) {
            throw NOT_SUPPORTED;
        }
        Client c = types.host().server().dispatcher().current();
        byte[] from = null;
        byte[] to = null;
        int fromDb = -1;
        int toDb = -1;
        if (c != null && c.argc >= 3 && c.argIs(0, "copy")) {
            from = c.arg(1);
            to = c.arg(2);
            fromDb = c.db().id();
            toDb = fromDb;
            for (int i = 3; i + 1 < c.argc; i++) {
                if (c.argIs(i, "db")) {
                    try {
                        toDb = Integer.parseInt(c.argString(i + 1));
                    } catch (NumberFormatException ignored) {
                        // COPY itself rejects it
                    }
                }
            }
        }
        long nv = type.callbacks().copy(from, to, fromDb, toDb, value);
        if (nv == 0) {
            throw COPY_FAILED;
        }
        return new ModuleValue(types, type, nv);
    }

    @Override
    public long memoryUsage() {
        Client c = types.host().server().dispatcher().current();
        byte[] key = null;
        int db = -1;
        long samples = 5;
        if (c != null && c.argc >= 3 && c.argIs(0, "memory") && c.argIs(1, "usage")) {
            key = c.arg(2);
            db = c.db().id();
            for (int i = 3; i + 1 < c.argc; i++) {
                if (c.argIs(i, "samples")) {
                    try {
                        samples = Long.parseLong(c.argString(i + 1));
                    } catch (NumberFormatException ignored) {
                        // MEMORY USAGE itself rejects it
                    }
                }
            }
        }
        return 16 + type.callbacks().memUsage(key, db, value, samples);
    }

    @Override
    public void digest(MessageDigest md) {
        digest(md, null, -1);
    }

    @Override
    public void digest(MessageDigest md, byte[] key, int dbId) {
        if (!type.callbacks().hasDigest()) {
            return;
        }
        ModuleDigest d = new ModuleDigest(key, dbId);
        type.callbacks().digest(d, value, key, dbId);
        md.update(d.result());
    }

    // --- keyspace lifecycle -------------------------------------------------------------

    @Override
    public void held() {
        holders++;
    }

    @Override
    public void released(Database db, byte[] key, boolean flush) {
        holders--;
        if (!flush && !freed) {
            type.callbacks().unlink(key, db == null ? -1 : db.id(), value);
        }
        if (holders <= 0) {
            types.releaseLater(this);
        }
    }

    /** Runs the free callback if no key took the value back meanwhile. */
    void freeIfUnheld() {
        if (holders <= 0 && !freed) {
            freed = true;
            type.callbacks().free(value);
        }
    }
}
