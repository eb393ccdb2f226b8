package dev.trellis.server.tracking;

import dev.trellis.server.util.ByteKey;
import java.util.TreeSet;

/** A client's CLIENT TRACKING settings. */
final class TrackingState {
    boolean bcast;
    boolean optin;
    boolean optout;
    boolean noloop;
    /** CLIENT CACHING yes (OPTIN) or no (OPTOUT) applies to the next command. */
    boolean caching;
    /** The redirection target disconnected: invalidations cannot be delivered. */
    boolean brokenRedirect;
    /** Client id invalidations go to, 0 for this connection. */
    long redirect;
    /** BCAST prefixes, sorted as Redis lists them. */
    final TreeSet<ByteKey> prefixes = new TreeSet<>();
}
