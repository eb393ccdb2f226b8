package dev.trellis.server.commands.geo;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.commands.zset.ZAddCommand;
import dev.trellis.server.commands.zset.ZSetKeys;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.zset.Strtod;
import dev.trellis.server.types.zset.ZSet;
import java.nio.charset.StandardCharsets;

/**
 * GEOADD, GEOPOS, GEODIST, GEOHASH; the searches live in {@link GeoSearchCommand}. Positions
 * are sorted-set scores holding Redis's 52-bit geohash, so every zset command works on them.
 */
public final class GeoCommands implements CommandGroup {
    private static final byte[] ZADD = "zadd".getBytes(StandardCharsets.US_ASCII);
    private static final String BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz";

    @Override
    public void register(Server server, CommandTable t) {
        t.bind("geoadd", GeoCommands::geoadd);
        t.bind("geopos", GeoCommands::geopos);
        t.bind("geodist", GeoCommands::geodist);
        t.bind("geohash", GeoCommands::geohash);
        t.bind("georadius", c -> GeoSearchCommand.execute(c, 1, GeoSearchCommand.RADIUS_COORDS));
        t.bind("georadius_ro", c -> GeoSearchCommand.execute(c, 1,
                GeoSearchCommand.RADIUS_COORDS | GeoSearchCommand.NOSTORE));
        t.bind("georadiusbymember", c -> GeoSearchCommand.execute(c, 1, GeoSearchCommand.RADIUS_MEMBER));
        t.bind("georadiusbymember_ro", c -> GeoSearchCommand.execute(c, 1,
                GeoSearchCommand.RADIUS_MEMBER | GeoSearchCommand.NOSTORE));
        t.bind("geosearch", c -> GeoSearchCommand.execute(c, 1, GeoSearchCommand.SEARCH));
        t.bind("geosearchstore", c -> GeoSearchCommand.execute(c, 2,
                GeoSearchCommand.SEARCH | GeoSearchCommand.SEARCH_STORE));
    }

    /**
     * Parses a longitude and latitude at {@code i}, {@code i + 1}; errors as Redis's
     * extractLongLatOrReply.
     */
    static double[] lonLat(Client c, int i) {
        double[] xy = new double[2];
        for (int k = 0; k < 2; k++) {
            xy[k] = Strtod.parseStrict(c.arg(i + k));
            if (Double.isNaN(xy[k])) {
                throw CommandError.NOT_FLOAT;
            }
        }
        if (!GeoHash.valid(xy[0], xy[1])) {
            throw CommandError.of("ERR invalid longitude,latitude pair "
                    + GeoFormat.fixed6(xy[0]) + "," + GeoFormat.fixed6(xy[1]));
        }
        return xy;
    }

    /** GEOADD key [NX|XX] [CH] longitude latitude member [...]: ZADD with geohash scores. */
    static void geoadd(Client c) {
        int at = 2;
        boolean nx = false;
        boolean xx = false;
        for (; at < c.argc; at++) {
            if (c.argIs(at, "nx")) {
                nx = true;
            } else if (c.argIs(at, "xx")) {
                xx = true;
            } else if (!c.argIs(at, "ch")) {
                break;
            }
        }
        if ((c.argc - at) % 3 != 0 || (xx && nx)) {
            throw CommandError.SYNTAX;
        }
        int elements = (c.argc - at) / 3;
        byte[][] argv = new byte[at + elements * 2][];
        argv[0] = ZADD;
        System.arraycopy(c.argv, 1, argv, 1, at - 1);
        for (int i = 0; i < elements; i++) {
            double[] xy = lonLat(c, at + i * 3);
            argv[at + i * 2] = Long.toString(GeoHash.score(xy[0], xy[1])).getBytes(StandardCharsets.US_ASCII);
            argv[at + i * 2 + 1] = c.arg(at + i * 3 + 2);
        }
        byte[][] original = c.argv;
        int originalArgc = c.argc;
        c.argv = argv;
        c.argc = argv.length;
        try {
            ZAddCommand.zadd(c);
        } finally {
            c.argv = original;
            c.argc = originalArgc;
        }
        c.propagateArgv = argv;
    }

    static void geopos(Client c) {
        ZSet z = ZSetKeys.read(c, c.arg(1));
        Reply r = c.reply();
        r.array(c.argc - 2);
        for (int i = 2; i < c.argc; i++) {
            double score = z == null ? Double.NaN : z.score(c.arg(i));
            double[] xy = Double.isNaN(score) ? null : GeoHash.decodeScore(score);
            if (xy == null) {
                r.nullArray();
            } else {
                r.array(2);
                GeoFormat.humanDouble(r, xy[0]);
                GeoFormat.humanDouble(r, xy[1]);
            }
        }
    }

    /** The meters in one {@code unit}, or the unsupported-unit error. */
    static double unit(Client c, int i) {
        if (c.argIs(i, "m")) {
            return 1;
        } else if (c.argIs(i, "km")) {
            return 1000;
        } else if (c.argIs(i, "ft")) {
            return 0.3048;
        } else if (c.argIs(i, "mi")) {
            return 1609.34;
        }
        throw CommandError.of("ERR unsupported unit provided. please use M, KM, FT, MI");
    }

    static void geodist(Client c) {
        double toMeter = 1;
        if (c.argc == 5) {
            toMeter = unit(c, 4);
        } else if (c.argc > 5) {
            throw CommandError.SYNTAX;
        }
        ZSet z = ZSetKeys.read(c, c.arg(1));
        if (z == null) {
            c.reply().nullBulk();
            return;
        }
        double s1 = z.score(c.arg(2));
        double s2 = z.score(c.arg(3));
        double[] a = Double.isNaN(s1) ? null : GeoHash.decodeScore(s1);
        double[] b = Double.isNaN(s2) ? null : GeoHash.decodeScore(s2);
        if (a == null || b == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().bulk(GeoFormat.distance(GeoHash.distance(a[0], a[1], b[0], b[1]) / toMeter));
    }

    static void geohash(Client c) {
        ZSet z = ZSetKeys.read(c, c.arg(1));
        Reply r = c.reply();
        r.array(c.argc - 2);
        for (int i = 2; i < c.argc; i++) {
            double score = z == null ? Double.NaN : z.score(c.arg(i));
            double[] xy = Double.isNaN(score) ? null : GeoHash.decodeScore(score);
            if (xy == null) {
                r.nullBulk();
                continue;
            }
            // Stored hashes use latitudes -85..85; the standard geohash string uses -90..90.
            GeoHash.Bits h = GeoHash.encode(-180, 180, -90, 90, xy[0], xy[1], 26);
            long bits = h == null ? 0 : h.bits();
            byte[] out = new byte[11];
            for (int k = 0; k < 11; k++) {
                int idx = k == 10 ? 0 : (int) ((bits >>> (52 - (k + 1) * 5)) & 0x1f);
                out[k] = (byte) BASE32.charAt(idx);
            }
            r.bulk(out);
        }
    }
}
