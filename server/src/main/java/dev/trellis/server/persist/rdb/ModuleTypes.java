package dev.trellis.server.persist.rdb;

import java.util.concurrent.CopyOnWriteArrayList;

/** The module data types that RDB loading and saving know about (registered by the module host). */
public final class ModuleTypes {
    private static final String CHARSET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final CopyOnWriteArrayList<ModuleTypeCodec> TYPES = new CopyOnWriteArrayList<>();

    private ModuleTypes() {
    }

    public static void register(ModuleTypeCodec codec) {
        TYPES.add(codec);
    }

    public static void unregister(ModuleTypeCodec codec) {
        TYPES.remove(codec);
    }

    /** The type with this id, ignoring the encoding version bits, or null. */
    public static ModuleTypeCodec byId(long id) {
        for (ModuleTypeCodec c : TYPES) {
            if ((c.id() >>> 10) == (id >>> 10)) {
                return c;
            }
        }
        return null;
    }

    public static ModuleTypeCodec forValue(Object value) {
        for (ModuleTypeCodec c : TYPES) {
            if (c.owns(value)) {
                return c;
            }
        }
        return null;
    }

    public static Iterable<ModuleTypeCodec> all() {
        return TYPES;
    }

    /** The nine-character name encoded in a type id. */
    public static String nameOf(long id) {
        char[] name = new char[9];
        long v = id >>> 10;
        for (int j = 8; j >= 0; j--) {
            name[j] = CHARSET.charAt((int) (v & 63));
            v >>>= 6;
        }
        return new String(name);
    }

    /** The id for a name (nine characters of the module charset) and encoding version. */
    public static long idOf(String name, int encver) {
        if (name.length() != 9) {
            throw new IllegalArgumentException("module type names have 9 characters");
        }
        long id = 0;
        for (int j = 0; j < 9; j++) {
            int c = CHARSET.indexOf(name.charAt(j));
            if (c < 0) {
                throw new IllegalArgumentException("bad module type name " + name);
            }
            id = (id << 6) | c;
        }
        return (id << 10) | (encver & 1023);
    }
}
