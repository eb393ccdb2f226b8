package dev.trellis.server.acl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The command categories: Redis's 21 and those modules add (AddACLCategory), 64 at most. */
public final class AclCategories {
    public static final List<String> BUILT_IN = List.of("keyspace", "read", "write", "set", "sortedset",
            "list", "hash", "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow",
            "blocking", "dangerous", "connection", "transaction", "scripting");
    private static final int MAX = 64;

    private final List<String> added = new ArrayList<>();

    /** The canonical name of a category, matched case-insensitively; null if there is none. */
    public String canonical(String name) {
        for (String c : BUILT_IN) {
            if (c.equalsIgnoreCase(name)) {
                return c;
            }
        }
        for (String c : added) {
            if (c.equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }

    /** Every category, built-in ones first, as ACL CAT lists them. */
    public List<String> all() {
        List<String> out = new ArrayList<>(BUILT_IN);
        out.addAll(added);
        return out;
    }

    public List<String> added() {
        return Collections.unmodifiableList(added);
    }

    /** Whether there is room for another category. */
    public boolean full() {
        return BUILT_IN.size() + added.size() >= MAX;
    }

    public void add(String name) {
        added.add(name);
    }

    public void removeAll(List<String> names) {
        added.removeAll(names);
    }
}
