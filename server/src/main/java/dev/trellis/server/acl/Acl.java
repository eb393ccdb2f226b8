package dev.trellis.server.acl;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.commands.connection.ClientDescription;
import dev.trellis.server.commands.server.CommandMetadata;
import dev.trellis.server.commands.server.KeyPositions;
import dev.trellis.server.log.ServerLog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The server's ACL: users (the default one always exists), the permission checks the
 * dispatcher and module API make, authentication, and the ACL log. Lives on the server
 * thread. Clients of a user that is deleted are deauthenticated and closed, as in Redis.
 */
public final class Acl implements CommandUniverse {
    public static final int OK = 0;
    public static final int DENIED_CMD = AclLog.REASON_CMD;
    public static final int DENIED_KEY = AclLog.REASON_KEY;
    public static final int DENIED_CHANNEL = AclLog.REASON_CHANNEL;

    // The module API's channel flags (REDISMODULE_CMD_CHANNEL_*), as getchannels-api commands report them.
    private static final int CHANNEL_PATTERN = 1;
    private static final int CHANNEL_PUBLISH = 1 << 1;
    private static final int CHANNEL_SUBSCRIBE = 1 << 2;

    /** The user of internal clients (module calls without 'C', AOF loading, the master): no checks. */
    public static final User SUPERUSER = superuser();

    private final Server server;
    private final Map<String, User> users = new TreeMap<>();
    private final User defaultUser;
    private final AclCategories categories = new AclCategories();
    private final AclLog log = new AclLog();
    private final Map<String, Integer> commandIds = new HashMap<>();
    private final Map<Command, Set<String>> categoryCache = new IdentityHashMap<>();
    private final List<Consumer<Client>> userChangeListeners = new ArrayList<>();
    /** The argument index of the last denied key or channel (set by {@link #check}). */
    private int deniedIndex;

    public Acl(Server server) {
        this.server = server;
        this.defaultUser = newUser("default");
        try {
            for (String op : List.of("+@all", "~*", "&*", "on", "nopass")) {
                defaultUser.apply(op, this, false);
            }
        } catch (AclRuleException e) {
            throw new IllegalStateException(e);
        }
        users.put("default", defaultUser);
        updateDefaultPassword(server.config().requirePass);
        server.config().onChange("requirepass", this::updateDefaultPassword);
        server.config().aclUserLines = () -> {
            List<String> lines = new ArrayList<>();
            if (configValue("aclfile").isEmpty()) {
                for (User u : users.values()) {
                    lines.add("user " + u.name() + " " + u.describe());
                }
            }
            return lines;
        };
        server.info().gauge("acl_access_denied_auth", () -> log.denied(AclLog.REASON_AUTH));
        server.info().gauge("acl_access_denied_cmd", () -> log.denied(AclLog.REASON_CMD));
        server.info().gauge("acl_access_denied_key", () -> log.denied(AclLog.REASON_KEY));
        server.info().gauge("acl_access_denied_channel", () -> log.denied(AclLog.REASON_CHANNEL));
    }

    private static User superuser() {
        User u = new User("(superuser)", true);
        Selector r = u.root();
        r.allCommands = r.futureCommands = r.allKeys = r.allChannels = true;
        u.enabled = true;
        u.changed();
        return u;
    }

    /** A user not (yet) in the user table, with Redis's initial state (off, no permissions). */
    User newUser(String name) {
        return new User(name, allChannelsByDefault());
    }

    boolean allChannelsByDefault() {
        return configValue("acl-pubsub-default").equalsIgnoreCase("allchannels");
    }

    /** The aclfile's path: relative names are inside {@code dir}, where Redis runs. */
    java.nio.file.Path resolve(String file) {
        java.nio.file.Path p = java.nio.file.Path.of(file);
        if (p.isAbsolute()) {
            return p;
        }
        String dir = server.config().dir;
        return java.nio.file.Path.of(dir.isEmpty() ? "" : dir).toAbsolutePath().resolve(p);
    }

    private String configValue(String name) {
        return server.config().find(name).get();
    }

    public Server server() {
        return server;
    }

    public User defaultUser() {
        return defaultUser;
    }

    /** The user named {@code name}, or null. */
    public User user(String name) {
        return users.get(name);
    }

    public Collection<User> users() {
        return users.values();
    }

    public AclCategories categories() {
        return categories;
    }

    public AclLog log() {
        return log;
    }

    /** Whether new connections must authenticate: the default user has a password or is off. */
    public boolean authRequired() {
        return !defaultUser.nopass || !defaultUser.enabled;
    }

    /** requirepass: the default user's only password, or nopass when empty. */
    public void updateDefaultPassword(String pass) {
        try {
            defaultUser.apply("resetpass", this, false);
            defaultUser.apply(pass == null || pass.isEmpty() ? "nopass" : ">" + pass, this, false);
        } catch (AclRuleException e) {
            throw new IllegalStateException(e);
        }
    }

    // --- CommandUniverse ---------------------------------------------------------------

    @Override
    public Command lookup(String name) {
        int bar = name.indexOf('|');
        if (bar >= 0 && name.indexOf('|', bar + 1) >= 0) {
            return null;
        }
        return server.commands().getFull(name);
    }

    @Override
    public int id(Command c) {
        if (c.aclId < 0) {
            c.aclId = commandIds.computeIfAbsent(c.fullName().toLowerCase(Locale.ROOT), k -> commandIds.size());
        }
        return c.aclId;
    }

    @Override
    public String category(String name) {
        return categories.canonical(name);
    }

    @Override
    public boolean inCategory(Command c, String category) {
        return categoryCache.computeIfAbsent(c, CommandMetadata::aclCategorySet).contains(category);
    }

    @Override
    public Iterable<Command> commands() {
        return server.commands().all();
    }

    /**
     * Commands were added or removed (a module loaded or unloaded) or their categories changed:
     * every user's bitmaps are rebuilt from their rules, so "+@write" covers a new write command.
     */
    public void commandsChanged() {
        categoryCache.clear();
        for (User u : users.values()) {
            for (Selector s : u.selectors) {
                s.recompute(this);
            }
            u.changed();
        }
    }

    // --- users -------------------------------------------------------------------------

    /**
     * ACL SETUSER: applies {@code args} to the user (created when absent) all or nothing.
     * Returns null, or the error text Redis replies.
     */
    public String setUser(String name, List<String> args) {
        User existing = users.get(name);
        User staged = newUser(name);
        if (existing != null) {
            staged.copyFrom(existing);
        }
        String err = applyAll(staged, args);
        if (err != null) {
            return err;
        }
        if (existing == null) {
            existing = newUser(name);
            users.put(name, existing);
        } else {
            closePubSubClientsLosingChannels(existing, staged);
        }
        existing.copyFrom(staged);
        return null;
    }

    /** Applies a module user's rule string all or nothing (SetModuleUserACLString). */
    public String setUserRules(User u, List<String> args) {
        User staged = newUser(u.name());
        staged.copyFrom(u);
        String err = applyAll(staged, args);
        if (err == null) {
            u.copyFrom(staged);
        }
        return err;
    }

    /** Applies one rule to a user (SetModuleUserACL); throws when it is not valid. */
    public void applyRule(User u, String op) throws AclRuleException {
        u.apply(op, this, allChannelsByDefault());
    }

    private String applyAll(User staged, List<String> args) {
        List<String> merged;
        try {
            merged = AclArgs.mergeSelectors(args);
        } catch (AclArgs.Unmatched e) {
            return "Unmatched parenthesis in acl selector starting at '" + args.get(e.index) + "'.";
        }
        boolean allChannels = allChannelsByDefault();
        for (String op : merged) {
            try {
                staged.apply(op, this, allChannels);
            } catch (AclRuleException e) {
                return "Error in ACL SETUSER modifier '" + op + "': " + e.getMessage();
            }
        }
        return null;
    }

    /** A user for a module (CreateModuleUser): not listed by ACL, not in the table. */
    public User createUnlinkedUser(String name) {
        return newUser(name);
    }

    /** ACL DELUSER of one user: false when there is none; its clients are closed. */
    public boolean deleteUser(String name) {
        User u = users.remove(name);
        if (u == null) {
            return false;
        }
        closeClientsOf(u);
        return true;
    }

    /** Deauthenticates and closes every client authenticated as {@code u}. */
    public void closeClientsOf(User u) {
        for (Client c : new ArrayList<>(server.clients().values())) {
            if (c.aclUser() == u) {
                deauthenticateAndClose(c);
            }
        }
    }

    /**
     * Puts a client back to the default user, unauthenticated, and closes it: after its reply
     * when it is the one running a command, at once otherwise.
     */
    public void deauthenticateAndClose(Client c) {
        notifyUserChanged(c);
        c.aclUser(defaultUser);
        c.authenticated(false);
        if (c == server.dispatcher().topLevel() || c == server.dispatcher().current()) {
            c.closeAfterReply = true;
        } else if (c.transport() != null) {
            c.transport().close(false);
        }
    }

    /**
     * Redis closes subscribed clients of a changed user that may no longer use one of their
     * channels or patterns.
     */
    private void closePubSubClientsLosingChannels(User before, User after) {
        if (after.root().allChannels) {
            return;
        }
        for (Client c : new ArrayList<>(server.clients().values())) {
            if (c.aclUser() == before && losesChannels(c, after)) {
                deauthenticateAndClose(c);
            }
        }
    }

    /** Whether a subscribed client would no longer be allowed one of its channels or patterns as {@code after}. */
    private boolean losesChannels(Client c, User after) {
        if ((c.flags & Client.FLAG_PUBSUB) == 0) {
            return false;
        }
        for (byte[] ch : server.pubsub().channelsOf(c)) {
            if (!channelAllowed(after, ch, false)) {
                return true;
            }
        }
        for (byte[] p : server.pubsub().patternsOf(c)) {
            if (!channelAllowed(after, p, true)) {
                return true;
            }
        }
        return false;
    }

    // --- authentication ----------------------------------------------------------------

    /** Hears when a client's user changes or it disconnects (module user-changed callbacks). */
    public void onUserChange(Consumer<Client> l) {
        userChangeListeners.add(l);
    }

    public void notifyUserChanged(Client c) {
        for (Consumer<Client> l : userChangeListeners) {
            l.accept(c);
        }
    }

    /** Results of {@link #authenticateUser} (Redis's AUTH_OK, AUTH_ERR, AUTH_NOT_HANDLED, AUTH_BLOCKED). */
    public static final int AUTH_OK = 0;
    public static final int AUTH_ERR = 1;
    public static final int AUTH_NOT_HANDLED = 2;
    public static final int AUTH_BLOCKED = 3;

    /** Authentication callbacks modules registered, tried before passwords. */
    public interface ModuleAuthenticator {
        /**
         * One of the AUTH_* results; on AUTH_ERR {@code err[0]} may hold the module's message.
         * AUTH_BLOCKED: the client is blocked and its command runs again once a module unblocks it.
         */
        int authenticate(Client c, byte[] username, byte[] password, String[] err);
    }

    private ModuleAuthenticator moduleAuthenticator;

    public void moduleAuthenticator(ModuleAuthenticator m) {
        this.moduleAuthenticator = m;
    }

    /**
     * AUTH / HELLO AUTH as Redis's ACLAuthenticateUser: modules' callbacks first; when none
     * handled it, the user's passwords ({@link #authenticate}).
     */
    public int authenticateUser(Client c, byte[] username, byte[] password, String[] err) {
        if (moduleAuthenticator != null) {
            int r = moduleAuthenticator.authenticate(c, username, password, err);
            if (r != AUTH_NOT_HANDLED) {
                return r;
            }
        }
        return authenticate(c, new String(username, StandardCharsets.UTF_8), password) ? AUTH_OK : AUTH_ERR;
    }

    /**
     * AUTH / HELLO AUTH: on success the client is authenticated as the user; on failure an
     * "auth" entry is logged (object: the command as the client typed it).
     */
    public boolean authenticate(Client c, String username, byte[] password) {
        User u = users.get(username);
        if (u != null && u.accepts(password)) {
            c.authenticated(true);
            c.aclUser(u);
            notifyUserChanged(c);
            return true;
        }
        int ctx = (c.flags & Client.FLAG_MULTI) != 0 ? AclLog.CONTEXT_MULTI : AclLog.CONTEXT_TOPLEVEL;
        addLog(c, AclLog.REASON_AUTH, ctx, new String(c.argv[0], StandardCharsets.UTF_8), username);
        return false;
    }

    /** A new or RESET connection: the default user, authenticated when it needs no password. */
    public void setDefaultAuth(Client c) {
        c.aclUser(defaultUser);
        c.authenticated(defaultUser.nopass && defaultUser.enabled);
    }

    // --- checks ------------------------------------------------------------------------

    /**
     * The dispatcher's check for a client whose user is restricted: null when the command may
     * run, otherwise the NOPERM error (the denial is logged).
     */
    public String denial(Client c, Command cmd) {
        User u = c.aclUser();
        int r = check(u, cmd, c.argv, c.argc);
        if (r == OK) {
            return null;
        }
        int ctx = (c.flags & Client.FLAG_MULTI) != 0 ? AclLog.CONTEXT_MULTI : AclLog.CONTEXT_TOPLEVEL;
        c.lastCmd = cmd; // what Redis's client info shows for the refused command
        String object = r == DENIED_CMD ? cmd.fullName() : new String(c.argv[deniedIndex], StandardCharsets.UTF_8);
        addLog(c, r, ctx, object, u.name());
        return "NOPERM " + message(r, u, cmd, c.argv[deniedIndex], false);
    }

    /**
     * EXEC checks each queued command again, since the rules may have changed after it was
     * queued: null when it may run, otherwise Redis's error (the denial is logged as "multi").
     */
    public String execDenial(Client c, Command cmd) {
        User u = c.aclUser();
        int r = check(u, cmd, c.argv, c.argc);
        if (r == OK) {
            return null;
        }
        String object = r == DENIED_CMD ? cmd.fullName() : new String(c.argv[deniedIndex], StandardCharsets.UTF_8);
        addLog(c, r, AclLog.CONTEXT_MULTI, object, u.name());
        String reason = switch (r) {
            case DENIED_CMD -> "no permission to execute the command or subcommand";
            case DENIED_KEY -> "no permission to touch the specified keys";
            default -> "no permission to access one of the channels used as arguments";
        };
        return "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. "
                + "This command is no longer allowed for the following reason: " + reason;
    }

    /** The index of the argument that caused the last denial (0 for the command). */
    public int deniedIndex() {
        return deniedIndex;
    }

    /**
     * Whether {@code u} may run {@code cmd} with these arguments: OK, or DENIED_CMD/KEY/CHANNEL
     * (then {@link #deniedIndex()} tells which argument). With several selectors, any one
     * allowing it is enough; otherwise the "most specific" denial is reported, as Redis does.
     */
    public int check(User u, Command cmd, byte[][] argv, int argc) {
        deniedIndex = 0;
        if (u.unrestricted) {
            return OK;
        }
        int id = id(cmd);
        Found found = new Found();
        int relevant = DENIED_CMD;
        int lastIdx = 0;
        for (Selector s : u.selectors) {
            int result = checkSelector(s, cmd, id, argv, argc, found);
            if (result == OK) {
                return OK;
            }
            if (result > relevant || (result == relevant && selectorIdx > lastIdx)) {
                relevant = result;
                lastIdx = selectorIdx;
            }
        }
        deniedIndex = lastIdx;
        return relevant;
    }

    /**
     * Whether one selector of the client's user both allows its running command and grants
     * {@code read}/{@code write} access to every key (SORT's BY and GET patterns need it).
     */
    public boolean unrestrictedKeyAccess(Client c, boolean read, boolean write) {
        User u = c.aclUser();
        if (u.unrestricted) {
            return true;
        }
        int needed = (read ? KeyPattern.READ : 0) | (write ? KeyPattern.WRITE : 0);
        Found found = new Found();
        for (Selector s : u.selectors) {
            if (checkSelector(s, c.cmd, id(c.cmd), c.argv, c.argc, found) == OK && s.allKeysAllowed(needed)) {
                return true;
            }
        }
        return false;
    }

    /** Keys and module channels of the command being checked, found once for all selectors. */
    private static final class Found {
        boolean keysFound;
        List<KeyPositions.Key> keys;
        Command.FlaggedChannels moduleChannels;
    }

    /** The argument index of the last selector denial (a key or channel). */
    private int selectorIdx;

    private int checkSelector(Selector s, Command cmd, int id, byte[][] argv, int argc, Found found) {
        selectorIdx = 0;
        if (!s.commandAllowed(cmd, id, argv, argc)) {
            return DENIED_CMD;
        }
        if (!s.allKeys && KeyPositions.hasKeys(cmd)) {
            if (!found.keysFound) {
                found.keys = KeyPositions.find(cmd, argv, argc);
                found.keysFound = true;
            }
            if (found.keys != null) {
                for (KeyPositions.Key k : found.keys) {
                    if (!s.keyAllowed(argv[k.position()], permsOf(k.flags()))) {
                        selectorIdx = k.position();
                        return DENIED_KEY;
                    }
                }
            }
        }
        if (s.allChannels) {
            return OK;
        }
        if (cmd.channelFinder() != null) {
            if (found.moduleChannels == null) {
                found.moduleChannels = cmd.channelFinder().channels(argv, argc);
            }
            Command.FlaggedChannels mc = found.moduleChannels;
            int[] pos = mc == null ? new int[0] : mc.positions();
            for (int j = 0; j < pos.length; j++) {
                int f = mc.flags()[j];
                if ((f & (CHANNEL_PUBLISH | CHANNEL_SUBSCRIBE)) != 0
                        && !s.channelAllowed(argv[pos[j]], (f & CHANNEL_PATTERN) != 0)) {
                    selectorIdx = pos[j];
                    return DENIED_CHANNEL;
                }
            }
            return OK;
        }
        int kind = ChannelArgs.kind(cmd);
        if (kind != ChannelArgs.NONE) {
            int last = kind == ChannelArgs.PUBLISH ? Math.min(1, argc - 1) : argc - 1;
            for (int i = 1; i <= last; i++) {
                if (!s.channelAllowed(argv[i], kind == ChannelArgs.PATTERN_SUBSCRIBE)) {
                    selectorIdx = i;
                    return DENIED_CHANNEL;
                }
            }
        }
        return OK;
    }

    /** The access a key needs from its key-spec flags; none known means full access. */
    static int permsOf(List<String> flags) {
        if (flags == null || flags.isEmpty()) {
            return KeyPattern.ALL;
        }
        int p = 0;
        for (String f : flags) {
            switch (f.toUpperCase(Locale.ROOT)) {
                case "ACCESS" -> p |= KeyPattern.READ;
                case "INSERT", "DELETE", "UPDATE" -> p |= KeyPattern.WRITE;
                default -> {
                }
            }
        }
        return p;
    }

    /** Whether any selector of {@code u} allows the key with this access (read/write bits). */
    public boolean keyAllowed(User u, byte[] key, boolean read, boolean write) {
        int needed = (read ? KeyPattern.READ : 0) | (write ? KeyPattern.WRITE : 0);
        for (Selector s : u.selectors) {
            if (s.keyAllowed(key, needed)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any selector of {@code u} allows the channel (a pattern being subscribed must match literally). */
    public boolean channelAllowed(User u, byte[] channel, boolean isPattern) {
        for (Selector s : u.selectors) {
            if (s.channelAllowed(channel, isPattern)) {
                return true;
            }
        }
        return false;
    }

    /** Redis's texts for a denial; {@code verbose} names the user and the key or channel. */
    public static String message(int result, User u, Command cmd, byte[] value, boolean verbose) {
        String v = value == null ? "" : new String(value, StandardCharsets.UTF_8);
        return switch (result) {
            case DENIED_CMD -> "User " + u.name() + " has no permissions to run the '" + cmd.fullName() + "' command";
            case DENIED_KEY -> verbose ? "User " + u.name() + " has no permissions to access the '" + v + "' key"
                    : "No permissions to access a key";
            case DENIED_CHANNEL -> verbose ? "User " + u.name() + " has no permissions to access the '" + v
                    + "' channel" : "No permissions to access a channel";
            default -> throw new IllegalArgumentException("not a denial: " + result);
        };
    }

    // --- log ---------------------------------------------------------------------------

    /**
     * Adds an ACL log entry. The client info describes the client whose top-level command is
     * running when there is one (the module's own client otherwise), as Redis's current client.
     */
    public void addLog(Client c, int reason, int context, String object, String username) {
        Client real = server.dispatcher().topLevel();
        if (real == null) {
            real = c;
        }
        String info = real == null ? "" : ClientDescription.describe(server, real);
        long max = Long.parseLong(configValue("acllog-max-len"));
        log.add(reason, context, object, username, server.keyspace().now(), info, max);
    }

    // --- files -------------------------------------------------------------------------

    /** Loads users from the configuration's user lines and the aclfile at startup. */
    public void loadAtStartup(List<List<String>> userLines) {
        String file = configValue("aclfile");
        if (!file.isEmpty() && !userLines.isEmpty()) {
            throw new IllegalStateException("Configuring Redis with users defined in redis.conf and at the same "
                    + "setting an ACL file path is invalid. This setup is very likely to lead to configuration errors "
                    + "and security holes, please define either an ACL file or declare users directly in your "
                    + "redis.conf, but not both.");
        }
        for (List<String> line : userLines) {
            String name = line.get(0);
            User u = users.get(name);
            try {
                if (u == null) {
                    u = newUser(name);
                    users.put(name, u);
                } else {
                    u.apply("reset", this, allChannelsByDefault());
                }
                for (String op : AclArgs.mergeSelectors(line.subList(1, line.size()))) {
                    try {
                        u.apply(op, this, allChannelsByDefault());
                    } catch (AclRuleException e) {
                        throw new IllegalStateException("Error loading ACL rule '" + op + "' for the user named '"
                                + name + "': " + e.getMessage());
                    }
                }
            } catch (AclArgs.Unmatched | AclRuleException e) {
                throw new IllegalStateException("Unmatched parenthesis in selector definition for user " + name);
            }
            if (!u.enabled) {
                ServerLog.get().notice("The user '" + name + "' is disabled (there is no 'on' modifier in the user "
                        + "description). Make sure this is not a configuration error.");
            }
        }
        if (!file.isEmpty()) {
            String errors = AclFile.load(this, file);
            if (errors != null) {
                throw new IllegalStateException("Aborting Redis startup because of ACL errors: " + errors);
            }
        }
    }

    /** Replaces every user by {@code loaded} (ACL LOAD), keeping the default user's object. */
    void replaceUsers(Map<String, User> loaded) {
        User newDefault = loaded.remove("default");
        if (newDefault == null) {
            newDefault = newUser("default");
            try {
                for (String op : List.of("+@all", "~*", "&*", "on", "nopass")) {
                    newDefault.apply(op, this, false);
                }
            } catch (AclRuleException e) {
                throw new IllegalStateException(e);
            }
        }
        defaultUser.copyFrom(newDefault);
        Map<String, User> old = new HashMap<>(users);
        users.clear();
        users.put("default", defaultUser);
        users.putAll(loaded);
        for (Client c : new ArrayList<>(server.clients().values())) {
            User cur = c.aclUser();
            if (cur == defaultUser) {
                if (losesChannels(c, defaultUser)) {
                    deauthenticateAndClose(c);
                }
                continue;
            }
            if (cur == SUPERUSER || old.get(cur.name()) != cur) {
                continue;
            }
            User now = users.get(cur.name());
            if (now == null || losesChannels(c, now)) {
                deauthenticateAndClose(c);
            } else {
                c.aclUser(now);
            }
        }
    }

    /** Parses a user line's rules into a fresh user (ACL LOAD), or throws on the first bad rule. */
    User parseUser(String name, List<String> rules) throws AclRuleException, AclArgs.Unmatched {
        User u = newUser(name);
        for (String op : AclArgs.mergeSelectors(rules)) {
            u.apply(op, this, allChannelsByDefault());
        }
        return u;
    }
}
