package dev.trellis.server.acl;

import java.util.ArrayList;
import java.util.List;

/**
 * An ACL user: on/off, passwords (SHA-256 hex) or nopass, payload sanitizing, and its
 * selectors (the root one first). Clients keep a reference to their user, so a change made by
 * ACL SETUSER (copied into this object) applies to them at once.
 */
public final class User {
    private final String name;
    boolean enabled;
    boolean nopass;
    boolean skipSanitizePayload;
    final List<String> passwords = new ArrayList<>();
    final List<Selector> selectors = new ArrayList<>();
    /**
     * True when nothing can be denied (all commands, keys and channels in the root selector):
     * the dispatcher tests only this field for such users.
     */
    public boolean unrestricted;
    /** The cached ACL LIST description, dropped on change. */
    private String description;

    User(String name, boolean allChannelsByDefault) {
        this.name = name;
        selectors.add(new Selector(allChannelsByDefault));
    }

    public String name() {
        return name;
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean nopass() {
        return nopass;
    }

    Selector root() {
        return selectors.get(0);
    }

    /** Makes this user's rules exactly those of {@code src} (the name stays). */
    void copyFrom(User src) {
        enabled = src.enabled;
        nopass = src.nopass;
        skipSanitizePayload = src.skipSanitizePayload;
        passwords.clear();
        passwords.addAll(src.passwords);
        selectors.clear();
        for (Selector s : src.selectors) {
            selectors.add(s.copy());
        }
        changed();
    }

    /** Recomputes what is derived from the rules. */
    void changed() {
        Selector r = root();
        unrestricted = r.allCommands && r.allKeys && r.allChannels;
        description = null;
    }

    /** Applies one rule (ACL SETUSER's syntax, a whole {@code (...)} selector included). */
    void apply(String op, CommandUniverse u, boolean allChannelsByDefault) throws AclRuleException {
        try {
            applyRule(op, u, allChannelsByDefault);
        } finally {
            changed();
        }
    }

    private void applyRule(String op, CommandUniverse u, boolean allChannelsByDefault) throws AclRuleException {
        if (op.isEmpty()) {
            return;
        }
        if (op.equalsIgnoreCase("on")) {
            enabled = true;
        } else if (op.equalsIgnoreCase("off")) {
            enabled = false;
        } else if (op.equalsIgnoreCase("skip-sanitize-payload")) {
            skipSanitizePayload = true;
        } else if (op.equalsIgnoreCase("sanitize-payload")) {
            skipSanitizePayload = false;
        } else if (op.equalsIgnoreCase("nopass")) {
            nopass = true;
            passwords.clear();
        } else if (op.equalsIgnoreCase("resetpass")) {
            nopass = false;
            passwords.clear();
        } else if (op.charAt(0) == '>' || op.charAt(0) == '#') {
            String hash = hashOf(op);
            if (!passwords.contains(hash)) {
                passwords.add(hash);
            }
            nopass = false;
        } else if (op.charAt(0) == '<' || op.charAt(0) == '!') {
            if (!passwords.remove(hashOf(op))) {
                throw new AclRuleException(AclRuleException.Kind.NO_SUCH_PASSWORD);
            }
        } else if (op.charAt(0) == '(' && op.charAt(op.length() - 1) == ')') {
            Selector s = new Selector(allChannelsByDefault);
            for (String part : AclArgs.split(op.substring(1, op.length() - 1))) {
                s.apply(part, u);
            }
            selectors.add(s);
        } else if (op.equalsIgnoreCase("clearselectors")) {
            selectors.subList(1, selectors.size()).clear();
        } else if (op.equalsIgnoreCase("reset")) {
            applyRule("resetpass", u, allChannelsByDefault);
            applyRule("resetkeys", u, allChannelsByDefault);
            applyRule("resetchannels", u, allChannelsByDefault);
            if (allChannelsByDefault) {
                applyRule("allchannels", u, allChannelsByDefault);
            }
            applyRule("off", u, allChannelsByDefault);
            applyRule("sanitize-payload", u, allChannelsByDefault);
            applyRule("clearselectors", u, allChannelsByDefault);
            applyRule("-@all", u, allChannelsByDefault);
        } else {
            root().apply(op, u);
        }
    }

    private static String hashOf(String op) throws AclRuleException {
        if (op.charAt(0) == '>' || op.charAt(0) == '<') {
            return PasswordHash.of(op.substring(1));
        }
        String h = op.substring(1);
        if (!PasswordHash.valid(h)) {
            throw new AclRuleException(AclRuleException.Kind.BAD_HASH);
        }
        return h;
    }

    /** Whether {@code password} opens this user (enabled, and nopass or a matching hash). */
    boolean accepts(byte[] password) {
        if (!enabled) {
            return false;
        }
        if (nopass) {
            return true;
        }
        String h = PasswordHash.of(password);
        boolean ok = false;
        for (String p : passwords) {
            ok |= PasswordHash.same(h, p);
        }
        return ok;
    }

    /** The flags as GETUSER lists them, in Redis's order. */
    List<String> flags() {
        List<String> f = new ArrayList<>(3);
        f.add(enabled ? "on" : "off");
        if (nopass) {
            f.add("nopass");
        }
        f.add(skipSanitizePayload ? "skip-sanitize-payload" : "sanitize-payload");
        return f;
    }

    /** The rules as ACL LIST and the ACL file write them (without "user name"). */
    public String describe() {
        if (description == null) {
            StringBuilder sb = new StringBuilder();
            for (String f : flags()) {
                sb.append(f).append(' ');
            }
            for (String p : passwords) {
                sb.append('#').append(p).append(' ');
            }
            sb.append(root().describe());
            for (int i = 1; i < selectors.size(); i++) {
                sb.append(" (").append(selectors.get(i).describe()).append(')');
            }
            description = sb.toString();
        }
        return description;
    }

    @Override
    public String toString() {
        return "user " + name;
    }
}
