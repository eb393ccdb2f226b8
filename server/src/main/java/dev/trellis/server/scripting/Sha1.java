package dev.trellis.server.scripting;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-1 as lowercase hex, the name of a cached script (and redis.sha1hex). */
final class Sha1 {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Sha1() {
    }

    static String hex(byte[] data) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1").digest(data);
            char[] out = new char[40];
            for (int i = 0; i < 20; i++) {
                out[2 * i] = HEX[(d[i] >> 4) & 15];
                out[2 * i + 1] = HEX[d[i] & 15];
            }
            return new String(out);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
