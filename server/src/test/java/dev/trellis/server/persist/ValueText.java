package dev.trellis.server.persist;


/**
 * Canonical text of non-string values, the same whether read from a value object or through
 * commands, so two servers' datasets compare as strings. Types join as they land.
 */
final class ValueText {
    private ValueText() {
    }

    static String of(Object v) {
        throw new IllegalArgumentException("no canonical form for " + v.getClass().getName());
    }

    static String viaCommands(BinaryClient c, String type, byte[] key) {
        throw new IllegalArgumentException("no canonical form for type " + type);
    }
}
