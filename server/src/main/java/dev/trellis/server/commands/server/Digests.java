package dev.trellis.server.commands.server;

import dev.trellis.server.Server;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.keyspace.KeyEntry;
import dev.trellis.server.types.RedisValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * DEBUG DIGEST and DIGEST-VALUE: SHA-1 based digests that do not depend on iteration order.
 * A key's digest covers its name, its value and its expiry time; a database's digest XORs
 * its keys' digests; the dataset digest XORs the non-empty databases' digests mixed with
 * their numbers. An empty dataset digests to 40 zeros.
 */
final class Digests {
    private Digests() {
    }

    static byte[] dataset(Server s) {
        byte[] total = new byte[20];
        for (int i = 0; i < s.keyspace().databases(); i++) {
            Database db = s.keyspace().db(i);
            if (db.size() == 0) {
                continue;
            }
            byte[] dbDigest = new byte[20];
            long cursor = 0;
            do {
                cursor = db.scan(cursor, e -> xor(dbDigest, key(e, db.id())));
            } while (cursor != 0);
            MessageDigest md = sha1();
            md.update(new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8), (byte) i});
            md.update(dbDigest);
            xor(total, md.digest());
        }
        return total;
    }

    /** The digest of one key of database {@code dbId}: name, value and expiry. */
    static byte[] key(KeyEntry e, int dbId) {
        MessageDigest md = sha1();
        md.update(e.key());
        md.update((byte) 0);
        value(md, e.value(), e.key(), dbId);
        if (e.expireAt() != KeyEntry.NO_EXPIRE) {
            md.update("!!expire!!".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            md.update(Long.toString(e.expireAt()).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return md.digest();
    }

    private static void value(MessageDigest md, Object v, byte[] key, int dbId) {
        if (v instanceof byte[] b) {
            md.update((byte) 's');
            md.update(b);
        } else {
            md.update((byte) 'o');
            ((RedisValue) v).digest(md, key, dbId);
        }
    }

    static String hex(byte[] d) {
        StringBuilder sb = new StringBuilder(40);
        for (byte b : d) {
            sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    private static void xor(byte[] into, byte[] d) {
        for (int i = 0; i < into.length; i++) {
            into[i] ^= d[i];
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
