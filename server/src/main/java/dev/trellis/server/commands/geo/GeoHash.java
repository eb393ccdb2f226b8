package dev.trellis.server.commands.geo;

/**
 * Redis's geohash: longitude and latitude mapped to 26 bits each over [-180, 180] x
 * [-85.05112878, 85.05112878] (the Web Mercator limits) and interleaved (latitude in the even
 * bits) into the 52-bit integer stored as a sorted-set score. Also the neighbour boxes, the
 * haversine distance and the step estimate the radius searches use. Every operation is done
 * in the same order and precision as Redis so positions and distances print identically.
 */
final class GeoHash {
    static final int STEP_MAX = 26;
    static final double LAT_MIN = -85.05112878;
    static final double LAT_MAX = 85.05112878;
    static final double LON_MIN = -180;
    static final double LON_MAX = 180;
    static final double EARTH_RADIUS_IN_METERS = 6372797.560856;
    static final double MERCATOR_MAX = 20037726.37;
    private static final double D_R = Math.PI / 180.0;

    /** A hash of {@code step * 2} bits; zero bits and zero step is "no box". */
    record Bits(long bits, int step) {
        static final Bits ZERO = new Bits(0, 0);

        boolean isZero() {
            return bits == 0 && step == 0;
        }
    }

    /** The box a hash covers. */
    record Area(double lonMin, double lonMax, double latMin, double latMax) {
    }

    private GeoHash() {
    }

    static double degRad(double ang) {
        return ang * D_R;
    }

    static double radDeg(double ang) {
        return ang / D_R;
    }

    /** Spreads the low 32 bits of x and y so x takes the even bits and y the odd ones. */
    private static long interleave(long x, long y) {
        x = (x | (x << 16)) & 0x0000FFFF0000FFFFL;
        y = (y | (y << 16)) & 0x0000FFFF0000FFFFL;
        x = (x | (x << 8)) & 0x00FF00FF00FF00FFL;
        y = (y | (y << 8)) & 0x00FF00FF00FF00FFL;
        x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0FL;
        y = (y | (y << 4)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x << 2)) & 0x3333333333333333L;
        y = (y | (y << 2)) & 0x3333333333333333L;
        x = (x | (x << 1)) & 0x5555555555555555L;
        y = (y | (y << 1)) & 0x5555555555555555L;
        return x | (y << 1);
    }

    /** The inverse: even bits to the low 32 bits, odd bits to the high 32 bits. */
    private static long deinterleave(long v) {
        long x = v;
        long y = v >>> 1;
        x &= 0x5555555555555555L;
        y &= 0x5555555555555555L;
        x = (x | (x >>> 1)) & 0x3333333333333333L;
        y = (y | (y >>> 1)) & 0x3333333333333333L;
        x = (x | (x >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        y = (y | (y >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
        x = (x | (x >>> 4)) & 0x00FF00FF00FF00FFL;
        y = (y | (y >>> 4)) & 0x00FF00FF00FF00FFL;
        x = (x | (x >>> 8)) & 0x0000FFFF0000FFFFL;
        y = (y | (y >>> 8)) & 0x0000FFFF0000FFFFL;
        x = (x | (x >>> 16)) & 0x00000000FFFFFFFFL;
        y = (y | (y >>> 16)) & 0x00000000FFFFFFFFL;
        return x | (y << 32);
    }

    /** True when the point is inside the range Redis can index. */
    static boolean valid(double lon, double lat) {
        return !(lon > LON_MAX || lon < LON_MIN || lat > LAT_MAX || lat < LAT_MIN);
    }

    /** Encodes within the given ranges; null when outside them. */
    static Bits encode(double lonMin, double lonMax, double latMin, double latMax, double lon, double lat, int step) {
        if (!valid(lon, lat) || lat < latMin || lat > latMax || lon < lonMin || lon > lonMax) {
            return null;
        }
        double latOffset = (lat - latMin) / (latMax - latMin);
        double lonOffset = (lon - lonMin) / (lonMax - lonMin);
        latOffset *= (double) (1L << step);
        lonOffset *= (double) (1L << step);
        return new Bits(interleave(toUint32(latOffset), toUint32(lonOffset)), step);
    }

    /** Encodes a point with Redis's ranges. */
    static Bits encode(double lon, double lat, int step) {
        return encode(LON_MIN, LON_MAX, LAT_MIN, LAT_MAX, lon, lat, step);
    }

    private static long toUint32(double d) {
        return ((long) d) & 0xFFFFFFFFL;
    }

    /** The 52-bit score of a hash (left-aligned to 52 bits). */
    static long align52(Bits h) {
        return h.bits << (52 - h.step * 2);
    }

    /** The score of a point. */
    static long score(double lon, double lat) {
        return align52(encode(lon, lat, STEP_MAX));
    }

    static Area decode(Bits h) {
        return decode(LON_MIN, LON_MAX, LAT_MIN, LAT_MAX, h);
    }

    static Area decode(double lonMin, double lonMax, double latMin, double latMax, Bits h) {
        long sep = deinterleave(h.bits);
        double latScale = latMax - latMin;
        double lonScale = lonMax - lonMin;
        long ilat = sep & 0xFFFFFFFFL;
        long ilon = sep >>> 32;
        double div = (double) (1L << h.step);
        return new Area(
                lonMin + (ilon * 1.0 / div) * lonScale,
                lonMin + ((ilon + 1) * 1.0 / div) * lonScale,
                latMin + (ilat * 1.0 / div) * latScale,
                latMin + ((ilat + 1) * 1.0 / div) * latScale);
    }

    /**
     * The longitude and latitude a score stands for (the centre of its box), or null when it
     * is not a decodable hash.
     */
    static double[] decodeScore(double score) {
        Bits h = new Bits(toUint64(score), STEP_MAX);
        if (h.isZero()) {
            return null;
        }
        Area a = decode(h);
        double lon = (a.lonMin + a.lonMax) / 2;
        lon = Math.min(Math.max(lon, LON_MIN), LON_MAX);
        double lat = (a.latMin + a.latMax) / 2;
        lat = Math.min(Math.max(lat, LAT_MIN), LAT_MAX);
        return new double[] {lon, lat};
    }

    /** C's (uint64_t) conversion of a non-negative double. */
    static long toUint64(double d) {
        if (d >= 0x1p63) {
            return (long) (d - 0x1p63) ^ Long.MIN_VALUE;
        }
        return (long) d;
    }

    private static Bits moveX(Bits h, int d) {
        if (d == 0) {
            return h;
        }
        long x = h.bits & 0xaaaaaaaaaaaaaaaaL;
        long y = h.bits & 0x5555555555555555L;
        long zz = 0x5555555555555555L >>> (64 - h.step * 2);
        if (d > 0) {
            x = x + (zz + 1);
        } else {
            x = x | zz;
            x = x - (zz + 1);
        }
        x &= (0xaaaaaaaaaaaaaaaaL >>> (64 - h.step * 2));
        return new Bits(x | y, h.step);
    }

    private static Bits moveY(Bits h, int d) {
        if (d == 0) {
            return h;
        }
        long x = h.bits & 0xaaaaaaaaaaaaaaaaL;
        long y = h.bits & 0x5555555555555555L;
        long zz = 0xaaaaaaaaaaaaaaaaL >>> (64 - h.step * 2);
        if (d > 0) {
            y = y + (zz + 1);
        } else {
            y = y | zz;
            y = y - (zz + 1);
        }
        y &= (0x5555555555555555L >>> (64 - h.step * 2));
        return new Bits(x | y, h.step);
    }

    /** The neighbour in direction (dx, dy), each -1, 0 or 1. */
    static Bits neighbour(Bits h, int dx, int dy) {
        return moveY(moveX(h, dx), dy);
    }

    /** Redis's geohashEstimateStepsByRadius: the box size to search for a radius at a latitude. */
    static int estimateSteps(double rangeMeters, double lat) {
        if (rangeMeters == 0) {
            return 26;
        }
        int step = 1;
        while (rangeMeters < MERCATOR_MAX) {
            rangeMeters *= 2;
            step++;
        }
        step -= 2;
        if (lat > 66 || lat < -66) {
            step--;
            if (lat > 80 || lat < -80) {
                step--;
            }
        }
        return Math.max(1, Math.min(26, step));
    }

    static double latDistance(double lat1d, double lat2d) {
        return EARTH_RADIUS_IN_METERS * Math.abs(degRad(lat2d) - degRad(lat1d));
    }

    /** Haversine distance in meters. */
    static double distance(double lon1d, double lat1d, double lon2d, double lat2d) {
        double lon1r = degRad(lon1d);
        double lon2r = degRad(lon2d);
        double v = StrictMath.sin((lon2r - lon1r) / 2);
        if (v == 0.0) {
            return latDistance(lat1d, lat2d);
        }
        double lat1r = degRad(lat1d);
        double lat2r = degRad(lat2d);
        double u = StrictMath.sin((lat2r - lat1r) / 2);
        double a = u * u + StrictMath.cos(lat1r) * StrictMath.cos(lat2r) * v * v;
        return 2.0 * EARTH_RADIUS_IN_METERS * StrictMath.asin(Math.sqrt(a));
    }
}
