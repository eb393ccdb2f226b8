package dev.trellis.server.module;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * {@code RedisModuleDigest}: what a type's digest callback feeds for DEBUG DIGEST. Elements
 * are mixed into an ordered accumulator; ending a sequence XORs the accumulator into the
 * result and clears it, so sequences may come in any order while elements within one may not
 * (Redis's mixDigest/xorDigest, both SHA-1 based).
 */
public final class ModuleDigest {
    private final byte[] ordered = new byte[20];
    private final byte[] result = new byte[20];
    private final MessageDigest sha1;
    private final byte[] key;
    private final int dbId;
    /** Native face: the RedisModuleDigest* handle and the key name string handed out. */
    public long address;
    public long keyString;

    public ModuleDigest(byte[] key, int dbId) {
        this.key = key;
        this.dbId = dbId;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] key() {
        return key;
    }

    public int dbId() {
        return dbId;
    }

    /** DigestAddStringBuffer: XOR the element's SHA-1 into the accumulator, then re-hash it. */
    public void add(byte[] element) {
        xorHash(ordered, element);
        sha1.reset();
        sha1.update(ordered);
        System.arraycopy(sha1.digest(), 0, ordered, 0, 20);
    }

    /** DigestAddLongLong: the number's decimal text. */
    public void add(long v) {
        add(Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** DigestEndSequence. */
    public void endSequence() {
        xorHash(result, ordered);
        Arrays.fill(ordered, (byte) 0);
    }

    private void xorHash(byte[] into, byte[] data) {
        sha1.reset();
        byte[] h = sha1.digest(data);
        for (int i = 0; i < 20; i++) {
            into[i] ^= h[i];
        }
    }

    /** The 20-byte digest of everything ended so far. */
    public byte[] result() {
        return result.clone();
    }
}
