package dev.trellis.server.acl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Passwords are kept as the lowercase hex SHA-256 of their bytes, as Redis stores them. */
final class PasswordHash {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PasswordHash() {
    }

    static String of(byte[] clear) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(clear);
            char[] out = new char[64];
            for (int i = 0; i < 32; i++) {
                out[2 * i] = HEX[(d[i] >> 4) & 15];
                out[2 * i + 1] = HEX[d[i] & 15];
            }
            return new String(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String of(String clear) {
        return of(clear.getBytes(StandardCharsets.UTF_8));
    }

    /** A hash given with {@code #}/{@code !}: exactly 64 lowercase hex characters. */
    static boolean valid(String h) {
        if (h.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char ch = h.charAt(i);
            if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /** Compares in time independent of where the strings differ. */
    static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
