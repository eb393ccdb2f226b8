package dev.trellis.server.acl;

import java.nio.charset.StandardCharsets;

/** A key pattern of a selector ({@code ~p}, {@code %R~p}, {@code %W~p}) and the access it grants. */
record KeyPattern(String pattern, byte[] bytes, int perms) {
    static final int READ = 1;
    static final int WRITE = 2;
    static final int ALL = READ | WRITE;

    KeyPattern(String pattern, int perms) {
        this(pattern, pattern.getBytes(StandardCharsets.UTF_8), perms);
    }

    KeyPattern withPerms(int more) {
        return new KeyPattern(pattern, bytes, perms | more);
    }

    /** As ACL LIST and GETUSER write it. */
    String describe() {
        return switch (perms) {
            case READ -> "%R~" + pattern;
            case WRITE -> "%W~" + pattern;
            default -> "~" + pattern;
        };
    }
}
