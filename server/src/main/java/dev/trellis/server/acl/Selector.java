package dev.trellis.server.acl;

import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.util.Glob;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One set of permissions of a user (the root one, or a {@code (...)} selector): allowed
 * commands as a bitmap over command ids plus allowed first arguments, key patterns with
 * read/write access, channel patterns. The command rules are also kept as the ordered list
 * of rules that built the bitmap (Redis 7.2's model), which is what ACL LIST shows and what
 * the bitmap is rebuilt from when modules add or remove commands.
 */
final class Selector {
    boolean allKeys;
    boolean allChannels;
    /** Every command, whatever its bit: set by +@all, cleared as soon as any command is removed. */
    boolean allCommands;
    /** Started from +@all: commands loaded later are allowed too. */
    boolean futureCommands;
    BitSet allowed = new BitSet();
    /** Allowed first arguments of otherwise blocked commands, by command id; null when none. */
    Map<Integer, List<String>> firstArgs;
    final List<KeyPattern> patterns = new ArrayList<>();
    final List<String> channels = new ArrayList<>();
    /** The command rules in effect, lowercase, in order ("+get", "-@string", "+select|0"). */
    final List<String> rules = new ArrayList<>();

    Selector(boolean allChannelsByDefault) {
        allChannels = allChannelsByDefault;
    }

    Selector copy() {
        Selector s = new Selector(allChannels);
        s.allKeys = allKeys;
        s.allCommands = allCommands;
        s.futureCommands = futureCommands;
        s.allowed = (BitSet) allowed.clone();
        if (firstArgs != null) {
            s.firstArgs = new HashMap<>();
            firstArgs.forEach((k, v) -> s.firstArgs.put(k, new ArrayList<>(v)));
        }
        s.patterns.addAll(patterns);
        s.channels.addAll(channels);
        s.rules.addAll(rules);
        return s;
    }

    /** Applies one selector rule; throws (leaving a partial change) when it is not valid. */
    void apply(String op, CommandUniverse u) throws AclRuleException {
        if (op.equalsIgnoreCase("allkeys") || op.equals("~*")) {
            allKeys = true;
            patterns.clear();
        } else if (op.equalsIgnoreCase("resetkeys")) {
            allKeys = false;
            patterns.clear();
        } else if (op.equalsIgnoreCase("allchannels") || op.equals("&*")) {
            allChannels = true;
            channels.clear();
        } else if (op.equalsIgnoreCase("resetchannels")) {
            allChannels = false;
            channels.clear();
        } else if (op.equalsIgnoreCase("allcommands") || op.equalsIgnoreCase("+@all")) {
            allowAll(u);
        } else if (op.equalsIgnoreCase("nocommands") || op.equalsIgnoreCase("-@all")) {
            allowed.clear();
            allCommands = false;
            futureCommands = false;
            rules.clear();
            firstArgs = null;
        } else if (op.startsWith("~") || op.startsWith("%")) {
            addKeyPattern(op);
        } else if (op.startsWith("&")) {
            if (allChannels) {
                throw new AclRuleException(AclRuleException.Kind.CHANNELS_AFTER_STAR);
            }
            String p = op.substring(1);
            if (hasSpaces(p)) {
                throw new AclRuleException(AclRuleException.Kind.SYNTAX);
            }
            if (!channels.contains(p)) {
                channels.add(p);
            }
        } else if (op.length() > 1 && op.charAt(0) == '+' && op.charAt(1) != '@') {
            allowCommand(op.substring(1), u);
        } else if (op.length() > 1 && op.charAt(0) == '-' && op.charAt(1) != '@') {
            Command c = u.lookup(op.substring(1));
            if (c == null) {
                throw new AclRuleException(AclRuleException.Kind.UNKNOWN_NAME);
            }
            changePerm(c, false, u);
            updateRules(c.fullName(), false);
        } else if (op.length() > 2 && (op.charAt(0) == '+' || op.charAt(0) == '-') && op.charAt(1) == '@') {
            String cat = u.category(op.substring(2));
            if (cat == null) {
                throw new AclRuleException(AclRuleException.Kind.UNKNOWN_NAME);
            }
            boolean allow = op.charAt(0) == '+';
            updateRules(op.substring(1), allow);
            for (Command c : u.commands()) {
                setCategory(c, cat, allow, u);
            }
        } else {
            throw new AclRuleException(AclRuleException.Kind.SYNTAX);
        }
    }

    private void allowAll(CommandUniverse u) {
        for (Command c : u.commands()) {
            allowed.set(u.id(c));
            for (Command s : c.subcommands().values()) {
                allowed.set(u.id(s));
            }
        }
        allCommands = true;
        futureCommands = true;
        rules.clear();
        firstArgs = null;
    }

    private void addKeyPattern(String op) throws AclRuleException {
        if (allKeys) {
            throw new AclRuleException(AclRuleException.Kind.KEYS_AFTER_STAR);
        }
        int perms = 0;
        int offset = 1;
        if (op.charAt(0) == '%') {
            // As Redis, a flag list without '~' ("%R") stands for an empty pattern.
            for (; offset < op.length(); offset++) {
                char ch = Character.toUpperCase(op.charAt(offset));
                if (ch == 'R' && (perms & KeyPattern.READ) == 0) {
                    perms |= KeyPattern.READ;
                } else if (ch == 'W' && (perms & KeyPattern.WRITE) == 0) {
                    perms |= KeyPattern.WRITE;
                } else if (op.charAt(offset) == '~' && perms != 0) {
                    offset++;
                    break;
                } else {
                    throw new AclRuleException(AclRuleException.Kind.SYNTAX);
                }
            }
        } else {
            perms = KeyPattern.ALL;
        }
        String p = op.substring(offset);
        if (hasSpaces(p)) {
            throw new AclRuleException(AclRuleException.Kind.SYNTAX);
        }
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).pattern().equals(p)) {
                patterns.set(i, patterns.get(i).withPerms(perms));
                return;
            }
        }
        patterns.add(new KeyPattern(p, perms));
    }

    private void allowCommand(String name, CommandUniverse u) throws AclRuleException {
        int bar = name.lastIndexOf('|');
        if (bar < 0) {
            Command c = u.lookup(name);
            if (c == null) {
                throw new AclRuleException(AclRuleException.Kind.UNKNOWN_NAME);
            }
            changePerm(c, true, u);
            updateRules(c.fullName(), true);
            return;
        }
        Command c = u.lookup(name.substring(0, bar));
        String sub = name.substring(bar + 1);
        if (c == null) {
            throw new AclRuleException(AclRuleException.Kind.UNKNOWN_NAME);
        }
        if (c.parent() != null) {
            throw new AclRuleException(AclRuleException.Kind.SUBCOMMAND_FIRST_ARG);
        }
        if (sub.isEmpty()) {
            throw new AclRuleException(AclRuleException.Kind.SYNTAX);
        }
        if (!c.subcommands().isEmpty()) {
            Command s = u.lookup(name);
            if (s == null) {
                throw new AclRuleException(AclRuleException.Kind.UNKNOWN_NAME);
            }
            changePerm(s, true, u);
        } else {
            if (firstArgs == null) {
                firstArgs = new HashMap<>();
            }
            List<String> l = firstArgs.computeIfAbsent(u.id(c), k -> new ArrayList<>());
            boolean present = false;
            for (String a : l) {
                present |= a.equalsIgnoreCase(sub);
            }
            if (!present) {
                l.add(sub);
            }
        }
        updateRules(name, true);
    }

    private void setCategory(Command c, String cat, boolean allow, CommandUniverse u) {
        if (u.inCategory(c, cat)) {
            changePerm(c, allow, u);
        }
        for (Command s : c.subcommands().values()) {
            if (u.inCategory(s, cat)) {
                changePerm(s, allow, u);
            }
        }
    }

    /** Allows or blocks a command, and with it all its subcommands. */
    private void changePerm(Command c, boolean allow, CommandUniverse u) {
        int id = u.id(c);
        setBit(id, allow);
        if (firstArgs != null) {
            firstArgs.remove(id);
        }
        for (Command s : c.subcommands().values()) {
            setBit(u.id(s), allow);
        }
    }

    private void setBit(int id, boolean allow) {
        if (allow) {
            allowed.set(id);
        } else {
            allowed.clear(id);
            allCommands = false;
        }
    }

    /**
     * Drops earlier rules about the same command or category (and the subcommand rules of a
     * whole command), then appends this one, so the list stays a faithful, minimal history.
     */
    private void updateRules(String rule, boolean allow) {
        String r = rule.toLowerCase(Locale.ROOT);
        rules.removeIf(old -> {
            String name = old.substring(1);
            return name.equals(r) || (name.startsWith(r) && name.length() > r.length() && name.charAt(r.length()) == '|');
        });
        rules.add((allow ? "+" : "-") + r);
    }

    /** Rebuilds the bitmap from the rules (commands were added or removed). */
    void recompute(CommandUniverse u) {
        List<String> saved = new ArrayList<>(rules);
        try {
            apply(futureCommands ? "+@all" : "-@all", u);
        } catch (AclRuleException e) {
            throw new IllegalStateException(e);
        }
        for (String r : saved) {
            try {
                apply(r, u);
            } catch (AclRuleException e) {
                // A rule naming a command that went away (module unloaded): kept as written.
                rules.add(r);
            }
        }
    }

    static boolean hasSpaces(String s) {
        return s.indexOf(' ') >= 0 || s.indexOf('\0') >= 0;
    }

    // --- checks ------------------------------------------------------------------------

    /** Whether the command itself (not its keys) may run: the bitmap or an allowed first argument. */
    boolean commandAllowed(Command cmd, int id, byte[][] argv, int argc) {
        if (allCommands || cmd.has(CommandFlags.NO_AUTH) || allowed.get(id)) {
            return true;
        }
        if (argc < 2 || firstArgs == null) {
            return false;
        }
        List<String> l = firstArgs.get(id);
        if (l == null) {
            return false;
        }
        int idx = cmd.parent() != null ? 2 : 1;
        if (idx >= argc) {
            return false;
        }
        String arg = new String(argv[idx], java.nio.charset.StandardCharsets.UTF_8);
        for (String a : l) {
            if (a.equalsIgnoreCase(arg)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a key with the given needed access ({@link KeyPattern#READ}/{@link KeyPattern#WRITE}) is allowed. */
    boolean keyAllowed(byte[] key, int needed) {
        if (allKeys) {
            return true;
        }
        for (KeyPattern p : patterns) {
            if ((p.perms() & needed) == needed && Glob.match(p.bytes(), key, false)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every key can be accessed with {@code needed} ({@code ~*} or {@code %R~*}-like). */
    boolean allKeysAllowed(int needed) {
        if (allKeys) {
            return true;
        }
        for (KeyPattern p : patterns) {
            if ((p.perms() & needed) == needed && p.pattern().equals("*")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a channel is allowed. A channel name is matched against the patterns; a pattern
     * being subscribed to (PSUBSCRIBE) must equal one of them literally.
     */
    boolean channelAllowed(byte[] channel, boolean isPattern) {
        if (allChannels) {
            return true;
        }
        for (String p : channels) {
            byte[] pb = p.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (isPattern ? java.util.Arrays.equals(pb, channel) : Glob.match(pb, channel, false)) {
                return true;
            }
        }
        return false;
    }

    // --- descriptions ------------------------------------------------------------------

    /** "+@all -get" / "-@all +@string": what rebuilds the bitmap. */
    String describeCommands() {
        StringBuilder sb = new StringBuilder(futureCommands ? "+@all" : "-@all");
        for (String r : rules) {
            sb.append(' ').append(r);
        }
        return sb.toString();
    }

    String describeKeys() {
        if (allKeys) {
            return "~*";
        }
        StringBuilder sb = new StringBuilder();
        for (KeyPattern p : patterns) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(p.describe());
        }
        return sb.toString();
    }

    String describeChannels() {
        if (allChannels) {
            return "&*";
        }
        StringBuilder sb = new StringBuilder();
        for (String c : channels) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append('&').append(c);
        }
        return sb.toString();
    }

    /** The selector as ACL LIST writes it: keys, channels, command rules. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        if (allKeys) {
            sb.append("~* ");
        } else {
            for (KeyPattern p : patterns) {
                sb.append(p.describe()).append(' ');
            }
        }
        if (allChannels) {
            sb.append("&* ");
        } else {
            sb.append("resetchannels ");
            for (String c : channels) {
                sb.append('&').append(c).append(' ');
            }
        }
        return sb.append(describeCommands()).toString();
    }
}
