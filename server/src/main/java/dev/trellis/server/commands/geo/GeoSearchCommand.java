package dev.trellis.server.commands.geo;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.commands.zset.ZSetKeys;
import dev.trellis.server.resp.Reply;
import dev.trellis.server.types.zset.ScoreRange;
import dev.trellis.server.types.zset.Strtod;
import dev.trellis.server.types.zset.ZSet;
import dev.trellis.server.types.zset.ZSetLimits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * GEORADIUS, GEORADIUSBYMEMBER (and their _RO forms), GEOSEARCH and GEOSEARCHSTORE: Redis's
 * georadiusGeneric. The candidates are the members of the nine geohash boxes around the centre,
 * visited in Redis's order, so unsorted and ANY results come back in the same order too.
 */
final class GeoSearchCommand {
    static final int RADIUS_COORDS = 1;
    static final int RADIUS_MEMBER = 1 << 1;
    static final int NOSTORE = 1 << 2;
    static final int SEARCH = 1 << 3;
    static final int SEARCH_STORE = 1 << 4;

    private static final int SORT_NONE = 0;
    private static final int SORT_ASC = 1;
    private static final int SORT_DESC = 2;

    /** One match: member, distance (meters, then the requested unit), score, position. */
    private record Point(byte[] member, double dist, double score, double lon, double lat) {
    }

    private GeoSearchCommand() {
    }

    static void execute(Client c, int srcKeyIdx, int flags) {
        byte[] storeKey = null;
        boolean storeDist = false;
        ZSet z = ZSetKeys.read(c, c.arg(srcKeyIdx));
        GeoShape shape = new GeoShape();
        int base;
        if ((flags & RADIUS_COORDS) != 0) {
            base = 6;
            double[] xy = GeoCommands.lonLat(c, 2);
            shape.lon = xy[0];
            shape.lat = xy[1];
            radius(c, base - 2, shape);
        } else if ((flags & RADIUS_MEMBER) != 0 && z == null) {
            base = 5;
        } else if ((flags & RADIUS_MEMBER) != 0) {
            base = 5;
            memberPosition(z, c.arg(2), shape);
            radius(c, base - 2, shape);
        } else {
            base = 2;
            if ((flags & SEARCH_STORE) != 0) {
                base = 3;
                storeKey = c.arg(1);
            }
        }
        boolean withDist = false;
        boolean withHash = false;
        boolean withCoords = false;
        boolean fromMember = false;
        boolean fromLoc = false;
        boolean byRadius = false;
        boolean byBox = false;
        boolean any = false;
        int sort = SORT_NONE;
        long count = 0;
        boolean search = (flags & SEARCH) != 0;
        int remaining = c.argc - base;
        for (int i = 0; i < remaining; i++) {
            int a = base + i;
            if (c.argIs(a, "withdist")) {
                withDist = true;
            } else if (c.argIs(a, "withhash")) {
                withHash = true;
            } else if (c.argIs(a, "withcoord")) {
                withCoords = true;
            } else if (c.argIs(a, "any")) {
                any = true;
            } else if (c.argIs(a, "asc")) {
                sort = SORT_ASC;
            } else if (c.argIs(a, "desc")) {
                sort = SORT_DESC;
            } else if (c.argIs(a, "count") && i + 1 < remaining) {
                count = c.argLong(a + 1);
                if (count <= 0) {
                    throw CommandError.of("ERR COUNT must be > 0");
                }
                i++;
            } else if (c.argIs(a, "store") && i + 1 < remaining && (flags & NOSTORE) == 0 && !search) {
                storeKey = c.arg(a + 1);
                storeDist = false;
                i++;
            } else if (c.argIs(a, "storedist") && i + 1 < remaining && (flags & NOSTORE) == 0 && !search) {
                storeKey = c.arg(a + 1);
                storeDist = true;
                i++;
            } else if (c.argIs(a, "storedist") && search && (flags & SEARCH_STORE) != 0) {
                storeDist = true;
            } else if (c.argIs(a, "frommember") && i + 1 < remaining && search && !fromLoc) {
                if (z != null) {
                    memberPosition(z, c.arg(a + 1), shape);
                }
                fromMember = true;
                i++;
            } else if (c.argIs(a, "fromlonlat") && i + 2 < remaining && search && !fromMember) {
                double[] xy = GeoCommands.lonLat(c, a + 1);
                shape.lon = xy[0];
                shape.lat = xy[1];
                fromLoc = true;
                i += 2;
            } else if (c.argIs(a, "byradius") && i + 2 < remaining && search && !byBox) {
                radius(c, a + 1, shape);
                shape.box = false;
                byRadius = true;
                i += 2;
            } else if (c.argIs(a, "bybox") && i + 3 < remaining && search && !byRadius) {
                double w = Strtod.parseStrict(c.arg(a + 1));
                if (Double.isNaN(w)) {
                    throw CommandError.of("ERR need numeric width");
                }
                double h = Strtod.parseStrict(c.arg(a + 2));
                if (Double.isNaN(h)) {
                    throw CommandError.of("ERR need numeric height");
                }
                if (h < 0 || w < 0) {
                    throw CommandError.of("ERR height or width cannot be negative");
                }
                shape.width = w;
                shape.height = h;
                shape.conversion = GeoCommands.unit(c, a + 3);
                shape.box = true;
                byBox = true;
                i += 3;
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (storeKey != null && (withDist || withHash || withCoords)) {
            throw CommandError.of("ERR " + ((flags & SEARCH_STORE) != 0 ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS")
                    + " is not compatible with WITHDIST, WITHHASH and WITHCOORD options");
        }
        String typedName = c.argString(0);
        if (search && !(fromMember || fromLoc)) {
            throw CommandError.of("ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for " + typedName);
        }
        if (search && !(byRadius || byBox)) {
            throw CommandError.of("ERR exactly one of BYRADIUS and BYBOX can be specified for " + typedName);
        }
        if (any && count == 0) {
            throw CommandError.of("ERR the ANY argument requires COUNT argument");
        }
        if (z == null) {
            if (storeKey != null) {
                if (c.db().deleteStoreDestination(storeKey)) {
                    c.server().keyspace().notify(dev.trellis.server.keyspace.EventType.GENERIC, "del", storeKey, c.db().id());
                    c.server().stats().dirty++;
                }
                c.reply().integer(0);
            } else {
                c.reply().emptyArray();
            }
            return;
        }
        if (count != 0 && sort == SORT_NONE && !any) {
            sort = SORT_ASC;
        }
        List<Point> found = search(z, shape, any ? count : 0);
        if (found.isEmpty() && storeKey == null) {
            c.reply().emptyArray();
            return;
        }
        int returned = (int) (count == 0 || found.size() < count ? found.size() : count);
        if (sort != SORT_NONE) {
            Comparator<Point> byDist = Comparator.comparingDouble(Point::dist);
            found.sort(sort == SORT_ASC ? byDist : byDist.reversed()); // stable, as glibc's qsort
        }
        if (storeKey == null) {
            int options = (withDist ? 1 : 0) + (withCoords ? 1 : 0) + (withHash ? 1 : 0);
            Reply r = c.reply();
            r.array(returned);
            for (int i = 0; i < returned; i++) {
                Point p = found.get(i);
                if (options > 0) {
                    r.array(options + 1);
                }
                r.bulk(p.member);
                if (withDist) {
                    r.bulk(GeoFormat.distance(p.dist / shape.conversion));
                }
                if (withHash) {
                    r.integer((long) p.score);
                }
                if (withCoords) {
                    r.array(2);
                    GeoFormat.humanDouble(r, p.lon);
                    GeoFormat.humanDouble(r, p.lat);
                }
            }
            return;
        }
        if (returned > 0) {
            ZSet out = ZSet.skiplist();
            for (int i = 0; i < returned; i++) {
                Point p = found.get(i);
                out.add(p.member, storeDist ? p.dist / shape.conversion : p.score, ZSetLimits.DEFAULT);
            }
            out.convertToListpackIfFits(ZSetKeys.limits(c));
            c.db().set(storeKey, out, false);
            ZSetKeys.notify(c, search ? "geosearchstore" : "georadiusstore", storeKey);
            c.server().stats().dirty += returned;
        } else if (c.db().deleteStoreDestination(storeKey)) {
            c.server().keyspace().notify(dev.trellis.server.keyspace.EventType.GENERIC, "del", storeKey, c.db().id());
            c.server().stats().dirty++;
        }
        c.reply().integer(returned);
    }

    private static void memberPosition(ZSet z, byte[] member, GeoShape shape) {
        double score = z.score(member);
        double[] xy = Double.isNaN(score) ? null : GeoHash.decodeScore(score);
        if (xy == null) {
            throw CommandError.of("ERR could not decode requested zset member");
        }
        shape.lon = xy[0];
        shape.lat = xy[1];
    }

    /** Redis's extractDistanceOrReply: radius and unit at {@code i}, {@code i + 1}. */
    private static void radius(Client c, int i, GeoShape shape) {
        double d = Strtod.parseStrict(c.arg(i));
        if (Double.isNaN(d)) {
            throw CommandError.of("ERR need numeric radius");
        }
        if (d < 0) {
            throw CommandError.of("ERR radius cannot be negative");
        }
        shape.radius = d;
        shape.conversion = GeoCommands.unit(c, i + 1);
    }

    /** Matches from the nine boxes in Redis's order, at most {@code limit} (0: all). */
    private static List<Point> search(ZSet z, GeoShape shape, long limit) {
        List<Point> out = new ArrayList<>();
        GeoHash.Bits[] boxes = shape.searchBoxes();
        int last = -1;
        for (int i = 0; i < boxes.length; i++) {
            GeoHash.Bits b = boxes[i];
            if (b.isZero()) {
                continue;
            }
            if (last >= 0 && b.equals(boxes[last])) {
                continue; // huge radii: neighbours can be the same box
            }
            if (!out.isEmpty() && limit > 0 && out.size() >= limit) {
                break;
            }
            double min = GeoHash.align52(b);
            double max = GeoHash.align52(new GeoHash.Bits(b.bits() + 1, b.step()));
            z.scanByScore(new ScoreRange(min, false, max, true), (m, s) -> {
                double[] xy = GeoHash.decodeScore(s);
                if (xy != null) {
                    double d = shape.distanceIfInside(xy[0], xy[1]);
                    if (!Double.isNaN(d)) {
                        out.add(new Point(m, d, s, xy[0], xy[1]));
                    }
                }
                return !(limit > 0 && !out.isEmpty() && out.size() >= limit);
            });
            last = i;
        }
        return out;
    }
}
