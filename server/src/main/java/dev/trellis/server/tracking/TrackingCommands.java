package dev.trellis.server.tracking;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.util.ByteKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** CLIENT TRACKING, CLIENT CACHING, CLIENT GETREDIR and CLIENT TRACKINGINFO. */
public final class TrackingCommands {
    private final Tracking tracking;

    public TrackingCommands(Tracking tracking) {
        this.tracking = tracking;
    }

    /** CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]. */
    public void tracking(Client c) {
        long redirect = 0;
        boolean bcast = false;
        boolean optin = false;
        boolean optout = false;
        boolean noloop = false;
        List<byte[]> prefixes = new ArrayList<>();
        for (int j = 3; j < c.argc; j++) {
            boolean more = j < c.argc - 1;
            if (c.argIs(j, "redirect") && more) {
                j++;
                if (redirect != 0) {
                    throw CommandError.of("ERR A client can only redirect to a single other client");
                }
                redirect = c.argLong(j);
                if (c.server().clients().get(redirect) == null) {
                    throw CommandError.of("ERR The client ID you want redirect to does not exist");
                }
            } else if (c.argIs(j, "bcast")) {
                bcast = true;
            } else if (c.argIs(j, "optin")) {
                optin = true;
            } else if (c.argIs(j, "optout")) {
                optout = true;
            } else if (c.argIs(j, "noloop")) {
                noloop = true;
            } else if (c.argIs(j, "prefix") && more) {
                prefixes.add(c.arg(++j));
            } else {
                throw CommandError.SYNTAX;
            }
        }
        if (c.argIs(2, "on")) {
            if (!bcast && !prefixes.isEmpty()) {
                throw CommandError.of("ERR PREFIX option requires BCAST mode to be enabled");
            }
            TrackingState st = Tracking.tracking(c) ? Tracking.state(c) : null;
            if (st != null && st.bcast != bcast) {
                throw CommandError.of("ERR You can't switch BCAST mode on/off before disabling tracking for this "
                        + "client, and then re-enabling it with a different mode.");
            }
            if (bcast && (optin || optout)) {
                throw CommandError.of("ERR OPTIN and OPTOUT are not compatible with BCAST");
            }
            if (optin && optout) {
                throw CommandError.of("ERR You can't specify both OPTIN mode and OPTOUT mode");
            }
            if (st != null && ((optin && st.optout) || (optout && st.optin))) {
                throw CommandError.of("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this "
                        + "client, and then re-enabling it with a different mode.");
            }
            if (bcast) {
                Tracking.Collision col = Tracking.prefixCollision(c, prefixes);
                if (col != null) {
                    throw CommandError.of("ERR Prefix '" + text(col.prefix()) + "' overlaps with "
                            + (col.existing() ? "an existing" : "another provided") + " prefix '" + text(col.other())
                            + "'. Prefixes for a single client must not overlap.");
                }
            }
            tracking.enable(c, redirect, bcast, optin, optout, noloop, prefixes);
        } else if (c.argIs(2, "off")) {
            tracking.disable(c);
        } else {
            throw CommandError.SYNTAX;
        }
        c.reply().ok();
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** CLIENT CACHING YES|NO. */
    public void caching(Client c) {
        if (!Tracking.tracking(c)) {
            throw CommandError.of("ERR CLIENT CACHING can be called only when the client is in tracking mode with "
                    + "OPTIN or OPTOUT mode enabled");
        }
        TrackingState st = Tracking.state(c);
        if (c.argIs(2, "yes")) {
            if (!st.optin) {
                throw CommandError.of("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
            }
        } else if (c.argIs(2, "no")) {
            if (!st.optout) {
                throw CommandError.of("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
            }
        } else {
            throw CommandError.SYNTAX;
        }
        st.caching = true;
        c.reply().ok();
    }

    /** CLIENT GETREDIR: the redirection id, 0 without one, -1 when not tracking. */
    public void getredir(Client c) {
        c.reply().integer(Tracking.tracking(c) ? Tracking.state(c).redirect : -1);
    }

    /** CLIENT TRACKINGINFO: flags, redirect and prefixes. */
    public void trackinginfo(Client c) {
        boolean on = Tracking.tracking(c);
        TrackingState st = Tracking.state(c);
        List<String> flags = new ArrayList<>();
        flags.add(on ? "on" : "off");
        if (st.bcast) {
            flags.add("bcast");
        }
        if (st.optin) {
            flags.add("optin");
            if (st.caching) {
                flags.add("caching-yes");
            }
        }
        if (st.optout) {
            flags.add("optout");
            if (st.caching) {
                flags.add("caching-no");
            }
        }
        if (st.noloop) {
            flags.add("noloop");
        }
        if (st.brokenRedirect) {
            flags.add("broken_redirect");
        }
        c.reply().map(3);
        c.reply().bulk("flags");
        c.reply().set(flags.size());
        for (String f : flags) {
            c.reply().bulk(f);
        }
        c.reply().bulk("redirect");
        c.reply().integer(on ? st.redirect : -1);
        c.reply().bulk("prefixes");
        c.reply().array(st.prefixes.size());
        for (ByteKey p : st.prefixes) {
            c.reply().bulk(p.bytes());
        }
    }
}
