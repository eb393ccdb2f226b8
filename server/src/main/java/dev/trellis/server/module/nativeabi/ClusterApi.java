package dev.trellis.server.module.nativeabi;

import java.nio.charset.StandardCharsets;

/**
 * Cluster functions with a standalone server's answers, as Redis gives them when cluster mode
 * is off: no nodes, no id, messages cannot be sent; key slots are computed as in a cluster.
 */
final class ClusterApi {
    private static final int OK = 0;
    private static final int ERR = 1;
    private static final int SLOTS = 16384;
    /** For each slot a short key name that hashes to it, made on first use. */
    private static volatile long[] canonical;

    private ClusterApi() {
    }

    @Api
    static long GetClusterSize() {
        return 0;
    }

    @Api
    static long GetMyClusterID() {
        return 0;
    }

    @Api
    static long GetClusterNodesList(long ctxp, long numnodesp) {
        if (numnodesp != 0) {
            Native.putLong(numnodesp, 0);
        }
        return 0;
    }

    @Api
    static void FreeClusterNodesList(long ids) {
        // GetClusterNodesList never returns a list outside cluster mode
    }

    @Api(onError = ERR)
    static int GetClusterNodeInfo(long ctxp, long id, long ip, long masterId, long port, long flags) {
        return ERR;
    }

    @Api
    static void SetClusterFlags(long ctxp, long flags) {
        // only meaningful in cluster mode
    }

    @Api
    static void RegisterClusterMessageReceiver(long ctxp, int type, long callback) {
        // no cluster bus: nothing will ever be received
    }

    @Api(onError = ERR)
    static int SendClusterMessage(long ctxp, long target, int type, long msg, int len) {
        return ERR;
    }

    /** The slot of a key: CRC16 of the hash tag (or the whole key) modulo 16384. */
    @Api
    static int ClusterKeySlot(long keyp) {
        return slot(NativeStrings.bytes(keyp));
    }

    static int slot(byte[] key) {
        int s = -1;
        for (int i = 0; i < key.length; i++) {
            if (key[i] == '{') {
                s = i;
                break;
            }
        }
        int from = 0;
        int to = key.length;
        if (s >= 0) {
            int e = -1;
            for (int i = s + 1; i < key.length; i++) {
                if (key[i] == '}') {
                    e = i;
                    break;
                }
            }
            if (e > s + 1) {
                from = s + 1;
                to = e;
            }
        }
        return crc16(key, from, to) & (SLOTS - 1);
    }

    /** CRC16-CCITT (XModem), the cluster's key hash. */
    static int crc16(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= (b[i] & 0xff) << 8;
            for (int j = 0; j < 8; j++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xffff;
        }
        return crc;
    }

    @Api
    static long ClusterCanonicalKeyNameInSlot(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            return 0;
        }
        long[] table = canonical;
        if (table == null) {
            synchronized (ClusterApi.class) {
                table = canonical;
                if (table == null) {
                    table = buildCanonical();
                    canonical = table;
                }
            }
        }
        return table[slot];
    }

    /** The shortest names (in a fixed alphabet order) covering every slot. */
    private static long[] buildCanonical() {
        long[] t = new long[SLOTS];
        int found = 0;
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        for (int len = 1; found < SLOTS && len <= 4; len++) {
            int[] idx = new int[len];
            byte[] name = new byte[len];
            while (true) {
                for (int i = 0; i < len; i++) {
                    name[i] = (byte) alphabet.charAt(idx[i]);
                }
                int s = crc16(name, 0, len) & (SLOTS - 1);
                if (t[s] == 0) {
                    t[s] = Native.cString(new String(name, StandardCharsets.US_ASCII));
                    found++;
                }
                int k = len - 1;
                while (k >= 0 && ++idx[k] == alphabet.length()) {
                    idx[k] = 0;
                    k--;
                }
                if (k < 0 || found == SLOTS) {
                    break;
                }
            }
        }
        return t;
    }
}
