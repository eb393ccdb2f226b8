package dev.trellis.server.acl;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;

/**
 * ACL LOG: the most recent denials first. A denial like one of the last ten (same reason,
 * context, object and user within a minute) bumps that entry's count and moves it to the front
 * instead of adding another.
 */
public final class AclLog {
    public static final int REASON_CMD = 1;
    public static final int REASON_KEY = 2;
    public static final int REASON_AUTH = 3;
    public static final int REASON_CHANNEL = 4;

    public static final int CONTEXT_TOPLEVEL = 0;
    public static final int CONTEXT_MULTI = 1;
    public static final int CONTEXT_LUA = 2;
    public static final int CONTEXT_MODULE = 3;

    private static final long GROUPING_MS = 60_000;

    /** One entry; {@code count}, {@code clientInfo} and {@code updatedMs} change when it is bumped. */
    public static final class Entry {
        public long count = 1;
        public final int reason;
        public final int context;
        public final String object;
        public final String username;
        public long updatedMs;
        public String clientInfo;
        public final long id;
        public final long createdMs;

        Entry(int reason, int context, String object, String username, long nowMs, String clientInfo, long id) {
            this.reason = reason;
            this.context = context;
            this.object = object;
            this.username = username;
            this.updatedMs = nowMs;
            this.clientInfo = clientInfo;
            this.id = id;
            this.createdMs = nowMs;
        }

        public String reasonName() {
            return switch (reason) {
                case REASON_CMD -> "command";
                case REASON_KEY -> "key";
                case REASON_CHANNEL -> "channel";
                case REASON_AUTH -> "auth";
                default -> "unknown";
            };
        }

        public String contextName() {
            return switch (context) {
                case CONTEXT_TOPLEVEL -> "toplevel";
                case CONTEXT_MULTI -> "multi";
                case CONTEXT_LUA -> "lua";
                case CONTEXT_MODULE -> "module";
                default -> "unknown";
            };
        }
    }

    private final LinkedList<Entry> entries = new LinkedList<>();
    private long nextId;
    /** Denials per reason since start (INFO stats acl_access_denied_*), indexed by reason. */
    private final long[] denied = new long[5];

    /** Records a denial; {@code maxLen} is acllog-max-len. */
    void add(int reason, int context, String object, String username, long nowMs, String clientInfo, long maxLen) {
        denied[reason]++;
        if (maxLen == 0) {
            entries.clear();
            return;
        }
        int scanned = 0;
        for (Iterator<Entry> it = entries.iterator(); it.hasNext() && scanned < 10; scanned++) {
            Entry e = it.next();
            if (e.reason == reason && e.context == context && Math.abs(e.updatedMs - nowMs) <= GROUPING_MS
                    && e.object.equals(object) && e.username.equals(username)) {
                it.remove();
                entries.addFirst(e);
                e.clientInfo = clientInfo;
                e.updatedMs = nowMs;
                e.count++;
                return;
            }
        }
        entries.addFirst(new Entry(reason, context, object, username, nowMs, clientInfo, nextId++));
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    /** The newest {@code count} entries. */
    public List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (out.size() >= count) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    public void reset() {
        entries.clear();
    }

    /** Denials since start for one reason. */
    public long denied(int reason) {
        return denied[reason];
    }
}
