package dev.trellis.server.commands.geo;

/**
 * A search area: a circle of {@code radius} or a {@code width} x {@code height} box around
 * (lon, lat), in the unit whose size in meters is {@code conversion}.
 */
final class GeoShape {
    boolean box;
    double lon;
    double lat;
    double radius;
    double width;
    double height;
    double conversion = 1;

    /**
     * The boxes to search, as Redis's geohashCalculateAreasByShapeWGS84 picks them: the box
     * holding the centre at a step fitting the radius, then north, south, east, west,
     * north-east, north-west, south-east, south-west; boxes wholly outside are zero.
     */
    GeoHash.Bits[] searchBoxes() {
        double h = conversion * (box ? height / 2 : radius);
        double w = conversion * (box ? width / 2 : radius);
        double latDelta = GeoHash.radDeg(h / GeoHash.EARTH_RADIUS_IN_METERS);
        double lonDeltaTop = GeoHash.radDeg(w / GeoHash.EARTH_RADIUS_IN_METERS / StrictMath.cos(GeoHash.degRad(lat + latDelta)));
        double lonDeltaBottom = GeoHash.radDeg(w / GeoHash.EARTH_RADIUS_IN_METERS / StrictMath.cos(GeoHash.degRad(lat - latDelta)));
        boolean southern = lat < 0;
        double minLon = southern ? lon - lonDeltaBottom : lon - lonDeltaTop;
        double maxLon = southern ? lon + lonDeltaBottom : lon + lonDeltaTop;
        double minLat = lat - latDelta;
        double maxLat = lat + latDelta;

        double radiusMeters = box ? Math.sqrt((width / 2) * (width / 2) + (height / 2) * (height / 2)) : radius;
        radiusMeters *= conversion;
        int steps = GeoHash.estimateSteps(radiusMeters, lat);
        GeoHash.Bits hash = GeoHash.encode(lon, lat, steps);
        GeoHash.Bits[] n = neighbours(hash);
        GeoHash.Area area = GeoHash.decode(hash);
        boolean decrease = GeoHash.decode(n[1]).latMax() < maxLat
                || GeoHash.decode(n[2]).latMin() > minLat
                || GeoHash.decode(n[3]).lonMax() < maxLon
                || GeoHash.decode(n[4]).lonMin() > minLon;
        if (steps > 1 && decrease) {
            steps--;
            hash = GeoHash.encode(lon, lat, steps);
            n = neighbours(hash);
            area = GeoHash.decode(hash);
        }
        if (steps >= 2) {
            if (area.latMin() < minLat) {
                zero(n, 2, 8, 7); // south, south-west, south-east
            }
            if (area.latMax() > maxLat) {
                zero(n, 1, 5, 6); // north, north-east, north-west
            }
            if (area.lonMin() < minLon) {
                zero(n, 4, 8, 6); // west, south-west, north-west
            }
            if (area.lonMax() > maxLon) {
                zero(n, 3, 7, 5); // east, south-east, north-east
            }
        }
        return n;
    }

    private static GeoHash.Bits[] neighbours(GeoHash.Bits h) {
        return new GeoHash.Bits[] {
            h,
            GeoHash.neighbour(h, 0, 1),
            GeoHash.neighbour(h, 0, -1),
            GeoHash.neighbour(h, 1, 0),
            GeoHash.neighbour(h, -1, 0),
            GeoHash.neighbour(h, 1, 1),
            GeoHash.neighbour(h, -1, 1),
            GeoHash.neighbour(h, 1, -1),
            GeoHash.neighbour(h, -1, -1),
        };
    }

    private static void zero(GeoHash.Bits[] n, int... idx) {
        for (int i : idx) {
            n[i] = GeoHash.Bits.ZERO;
        }
    }

    /**
     * The distance in meters from the centre to (plon, plat) when the point is inside the
     * shape, else NaN. Boxes check the latitude distance first, then the longitude distance
     * along the point's parallel, as Redis does.
     */
    double distanceIfInside(double plon, double plat) {
        if (!box) {
            double d = GeoHash.distance(lon, lat, plon, plat);
            return d > radius * conversion ? Double.NaN : d;
        }
        double widthM = width * conversion;
        double heightM = height * conversion;
        if (GeoHash.latDistance(plat, lat) > heightM / 2) {
            return Double.NaN;
        }
        if (GeoHash.distance(plon, plat, lon, plat) > widthM / 2) {
            return Double.NaN;
        }
        return GeoHash.distance(lon, lat, plon, plat);
    }
}
