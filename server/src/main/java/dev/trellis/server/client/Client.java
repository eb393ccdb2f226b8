package dev.trellis.server.client;

import dev.trellis.server.Server;
import dev.trellis.server.acl.User;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.keyspace.Database;
import dev.trellis.server.resp.Reply;
import java.nio.charset.StandardCharsets;

/**
 * A client's state as commands see it: selected database, protocol, authentication,
 * transaction and reply mode, the current arguments, and the reply writer. Network clients
 * have a {@link ClientTransport}; internal ones (module calls, AOF loading) do not.
 */
public final class Client {
    public enum ReplyMode { ON, OFF, SKIP }

    /** Client flags; each maps to a CLIENT LIST flag letter. */
    public static final int FLAG_PUBSUB = 1;        // P
    public static final int FLAG_MULTI = 1 << 1;    // x
    public static final int FLAG_BLOCKED = 1 << 2;  // b
    public static final int FLAG_MONITOR = 1 << 3;  // O
    public static final int FLAG_TRACKING = 1 << 4; // t
    public static final int FLAG_DIRTY_CAS = 1 << 5; // d
    public static final int FLAG_CLOSE_ASAP = 1 << 6; // A
    public static final int FLAG_UNBLOCKED = 1 << 7; // u
    public static final int FLAG_READONLY = 1 << 8;  // r
    public static final int FLAG_NO_EVICT = 1 << 9;  // e
    public static final int FLAG_NO_TOUCH = 1 << 10; // T
    public static final int FLAG_REPLICA = 1 << 11;  // S
    public static final int FLAG_MASTER = 1 << 12;   // M

    private final Server server;
    private final long id;
    private final ClientTransport transport;
    private final Reply reply;
    private Database db;
    private String name;
    private String libName;
    private String libVersion;
    private boolean authenticated;
    private User user;
    public byte[][] argv;
    public int argc;
    /** Arguments to propagate instead of argv (commands that rewrite themselves), or null. */
    public byte[][] propagateArgv;
    /** The arguments SLOWLOG and MONITOR show when some were redacted (passwords), or null. */
    public byte[][] shownArgv;
    public Command cmd;
    public Command lastCmd;
    public ReplyMode replyMode = ReplyMode.ON;
    public boolean closeAfterReply;
    public boolean noEvict;
    /** Commands may grow memory past maxmemory (a module's RM_Call without 'M'; Redis's CLIENT_ALLOW_OOM). */
    public boolean allowOom;
    public boolean noTouch;
    public final long createdMs = System.currentTimeMillis();
    public long lastInteractionMs = createdMs;
    /** Per-client flags as CLIENT LIST shows them (M, S, x, b, P, ...), maintained by features. */
    public int flags;
    /** Feature state attached by other packages (transactions, pub/sub, blocking, tracking). */
    public Object multiState;
    public Object pubsubState;
    public Object blockState;
    public Object trackingState;
    public long commandsProcessed;
    public long netInputBytes;
    public long netOutputBytes;
    public long queryBufferBytes;
    /** The replication offset right after this client's last propagated write (what WAIT waits for). */
    public long woff;

    public Client(Server server, long id, ClientTransport transport, Reply reply) {
        this.server = server;
        this.id = id;
        this.transport = transport;
        this.reply = reply;
        this.db = server.keyspace().db(0);
        this.user = server.acl().defaultUser();
        reply.errorListener(server.stats()::errorReply);
    }

    public Server server() {
        return server;
    }

    public long id() {
        return id;
    }

    public ClientTransport transport() {
        return transport;
    }

    public boolean isInternal() {
        return transport == null;
    }

    public Reply reply() {
        return reply;
    }

    public Database db() {
        return db;
    }

    public void select(int index) {
        if (index < 0 || index >= server.keyspace().databases()) {
            throw CommandError.DB_INDEX;
        }
        db = server.keyspace().db(index);
    }

    public String name() {
        return name;
    }

    public void name(String name) {
        this.name = name;
    }

    public String libName() {
        return libName;
    }

    public void libName(String v) {
        libName = v;
    }

    public String libVersion() {
        return libVersion;
    }

    public void libVersion(String v) {
        libVersion = v;
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void authenticated(boolean a) {
        authenticated = a;
    }

    /** The name of the client's ACL user. */
    public String user() {
        return user.name();
    }

    /** The client's ACL user (never null: internal clients have the unrestricted superuser). */
    public User aclUser() {
        return user;
    }

    public void aclUser(User u) {
        user = u;
    }

    public int protocol() {
        return reply.protocol();
    }

    // --- argument helpers -------------------------------------------------------------

    public byte[] arg(int i) {
        return argv[i];
    }

    public String argString(int i) {
        return new String(argv[i], StandardCharsets.UTF_8);
    }

    /** True when argument {@code i} equals {@code lowerWord} ignoring ASCII case. */
    public boolean argIs(int i, String lowerWord) {
        byte[] a = argv[i];
        if (a.length != lowerWord.length()) {
            return false;
        }
        for (int k = 0; k < a.length; k++) {
            int b = a[k];
            if (b >= 'A' && b <= 'Z') {
                b += 32;
            }
            if (b != lowerWord.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Argument {@code i} as a long, or the "not an integer" error. */
    public long argLong(int i) {
        return Numbers.parseLong(argv[i]);
    }

    public double argDouble(int i) {
        return Numbers.parseDouble(argv[i]);
    }

    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    /** Hides argument {@code i} of the running command from SLOWLOG and MONITOR (AUTH's password). */
    public void redactArg(int i) {
        if (shownArgv == null) {
            shownArgv = java.util.Arrays.copyOf(argv, argc);
        }
        if (i > 0 && i < shownArgv.length) {
            shownArgv[i] = REDACTED;
        }
    }

    /** The command's name as Redis quotes it in errors (lowercase full name). */
    public String commandName() {
        return cmd == null ? "" : cmd.fullName();
    }

    @Override
    public String toString() {
        return "client id=" + id + (transport == null ? "" : " addr=" + transport.remoteAddress());
    }
}
