package dev.trellis.server.acl;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.command.CommandTable;
import dev.trellis.server.commands.CommandGroup;
import dev.trellis.server.commands.server.HelpReply;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/** The ACL command: SETUSER, GETUSER, DELUSER, USERS, LIST, WHOAMI, CAT, GENPASS, DRYRUN, LOG, SAVE, LOAD. */
public final class AclCommands implements CommandGroup {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String NO_FILE = "ERR This Redis instance is not configured to use an ACL file. You may "
            + "want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have "
            + "a Redis configuration file set) in order to store users in the Redis configuration.";

    @Override
    public void register(Server server, CommandTable t) {
        t.bind("acl|setuser", AclCommands::setUser);
        t.bind("acl|getuser", AclCommands::getUser);
        t.bind("acl|deluser", AclCommands::delUser);
        t.bind("acl|users", c -> list(c, true));
        t.bind("acl|list", c -> list(c, false));
        t.bind("acl|whoami", c -> {
            User u = c.aclUser();
            if (u == Acl.SUPERUSER) {
                c.reply().nullBulk();
            } else {
                c.reply().bulk(u.name());
            }
        });
        t.bind("acl|cat", AclCommands::cat);
        t.bind("acl|genpass", AclCommands::genpass);
        t.bind("acl|dryrun", AclCommands::dryrun);
        t.bind("acl|log", AclCommands::log);
        t.bind("acl|save", AclCommands::save);
        t.bind("acl|load", AclCommands::load);
        t.bind("acl|help", c -> HelpReply.write(c, "ACL", List.of(
                "CAT [<category>]",
                "    List all commands that belong to <category>, or all command categories",
                "    when no category is specified.",
                "DELUSER <username> [<username> ...]",
                "    Delete a list of users.",
                "DRYRUN <username> <command> [<arg> ...]",
                "    Returns whether the user can execute the given command without executing the command.",
                "GETUSER <username>",
                "    Get the user's details.",
                "GENPASS [<bits>]",
                "    Generate a secure 256-bit user password. The optional `bits` argument can",
                "    be used to specify a different size.",
                "LIST",
                "    Show users details in config file format.",
                "LOAD",
                "    Reload users from the ACL file.",
                "LOG [<count> | RESET]",
                "    Show the ACL log entries.",
                "SAVE",
                "    Save the current config to the ACL file.",
                "SETUSER <username> <attribute> [<attribute> ...]",
                "    Create or modify a user with the specified attributes.",
                "USERS",
                "    List all the registered usernames.",
                "WHOAMI",
                "    Return the current connection username.")));
    }

    /** Redis's reply to a subcommand given too many arguments. */
    private static CommandError syntax(Client c) {
        String sub = c.argString(1);
        return CommandError.of("ERR unknown subcommand or wrong number of arguments for '"
                + (sub.length() > 128 ? sub.substring(0, 128) : sub) + "'. Try ACL HELP.");
    }

    private static Acl acl(Client c) {
        return c.server().acl();
    }

    static void setUser(Client c) {
        redactFrom(c, 2);
        String name = c.argString(2);
        if (Selector.hasSpaces(name)) {
            throw CommandError.of("ERR Usernames can't contain spaces or null characters");
        }
        List<String> args = new ArrayList<>();
        for (int i = 3; i < c.argc; i++) {
            args.add(c.argString(i));
        }
        String err = acl(c).setUser(name, args);
        if (err != null) {
            throw CommandError.of("ERR " + err);
        }
        c.reply().ok();
    }

    /** Keeps user names and rules out of SLOWLOG and MONITOR, as Redis. */
    private static void redactFrom(Client c, int first) {
        for (int i = first; i < c.argc; i++) {
            c.redactArg(i);
        }
    }

    static void getUser(Client c) {
        redactFrom(c, 2);
        User u = acl(c).user(c.argString(2));
        if (u == null) {
            c.reply().nullBulk();
            return;
        }
        c.reply().map(6);
        c.reply().bulk("flags");
        List<String> flags = u.flags();
        c.reply().set(flags.size());
        for (String f : flags) {
            c.reply().bulk(f);
        }
        c.reply().bulk("passwords");
        c.reply().array(u.passwords.size());
        for (String p : u.passwords) {
            c.reply().bulk(p);
        }
        describeSelector(c, u.root());
        c.reply().bulk("selectors");
        c.reply().array(u.selectors.size() - 1);
        for (int i = 1; i < u.selectors.size(); i++) {
            c.reply().map(3);
            describeSelector(c, u.selectors.get(i));
        }
    }

    private static void describeSelector(Client c, Selector s) {
        c.reply().bulk("commands");
        c.reply().bulk(s.describeCommands());
        c.reply().bulk("keys");
        c.reply().bulk(s.describeKeys());
        c.reply().bulk("channels");
        c.reply().bulk(s.describeChannels());
    }

    static void delUser(Client c) {
        redactFrom(c, 2);
        for (int i = 2; i < c.argc; i++) {
            if (c.argString(i).equals("default")) {
                throw CommandError.of("ERR The 'default' user cannot be removed");
            }
        }
        int deleted = 0;
        for (int i = 2; i < c.argc; i++) {
            if (acl(c).deleteUser(c.argString(i))) {
                deleted++;
            }
        }
        c.reply().integer(deleted);
    }

    static void list(Client c, boolean namesOnly) {
        var users = acl(c).users();
        c.reply().array(users.size());
        for (User u : users) {
            c.reply().bulk(namesOnly ? u.name() : "user " + u.name() + " " + u.describe());
        }
    }

    static void cat(Client c) {
        Acl acl = acl(c);
        if (c.argc == 2) {
            List<String> all = acl.categories().all();
            c.reply().array(all.size());
            for (String s : all) {
                c.reply().bulk(s);
            }
            return;
        }
        if (c.argc != 3) {
            throw syntax(c);
        }
        String cat = acl.categories().canonical(c.argString(2));
        if (cat == null) {
            String given = c.argString(2);
            throw CommandError.of("ERR Unknown category '" + (given.length() > 128 ? given.substring(0, 128) : given) + "'");
        }
        List<String> names = new ArrayList<>();
        for (Command cmd : c.server().commands().all()) {
            if (acl.inCategory(cmd, cat)) {
                names.add(cmd.fullName());
            }
            for (Command sub : cmd.subcommands().values()) {
                if (acl.inCategory(sub, cat)) {
                    names.add(sub.fullName());
                }
            }
        }
        c.reply().array(names.size());
        for (String n : names) {
            c.reply().bulk(n);
        }
    }

    static void genpass(Client c) {
        if (c.argc > 3) {
            throw syntax(c);
        }
        long bits = c.argc == 3 ? c.argLong(2) : 256;
        if (bits <= 0 || bits > 4096) {
            throw CommandError.of("ERR ACL GENPASS argument must be the number of bits for the output password, "
                    + "a positive number up to 4096");
        }
        int chars = (int) ((bits + 3) / 4);
        byte[] raw = new byte[(chars + 1) / 2];
        RANDOM.nextBytes(raw);
        StringBuilder sb = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            int b = raw[i / 2] & 0xff;
            sb.append("0123456789abcdef".charAt(i % 2 == 0 ? b >> 4 : b & 15));
        }
        c.reply().bulk(sb.toString());
    }

    static void dryrun(Client c) {
        Acl acl = acl(c);
        User u = acl.user(c.argString(2));
        if (u == null) {
            throw CommandError.of("ERR User '" + c.argString(2) + "' not found");
        }
        int argc = c.argc - 3;
        byte[][] argv = java.util.Arrays.copyOfRange(c.argv, 3, c.argc);
        Command cmd = c.server().commands().lookup(argv[0]);
        if (cmd != null && argc > 1 && !cmd.subcommands().isEmpty()) {
            cmd = cmd.subcommand(new String(argv[1], StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT));
        }
        if (cmd == null) {
            throw CommandError.of("ERR Command '" + c.argString(3) + "' not found");
        }
        if (!cmd.arityOk(argc)) {
            throw CommandError.of("ERR wrong number of arguments for '" + cmd.fullName() + "' command");
        }
        int r = acl.check(u, cmd, argv, argc);
        if (r != Acl.OK) {
            c.reply().bulk(Acl.message(r, u, cmd, argv[acl.deniedIndex()], true));
            return;
        }
        c.reply().ok();
    }

    static void log(Client c) {
        if (c.argc > 3) {
            throw syntax(c);
        }
        AclLog log = acl(c).log();
        long count = 10;
        if (c.argc == 3) {
            if (c.argIs(2, "reset")) {
                log.reset();
                c.reply().ok();
                return;
            }
            count = Math.max(0, c.argLong(2));
        }
        List<AclLog.Entry> entries = log.newest(count);
        long now = c.server().keyspace().now();
        c.reply().array(entries.size());
        for (AclLog.Entry e : entries) {
            c.reply().map(10);
            c.reply().bulk("count");
            c.reply().integer(e.count);
            c.reply().bulk("reason");
            c.reply().bulk(e.reasonName());
            c.reply().bulk("context");
            c.reply().bulk(e.contextName());
            c.reply().bulk("object");
            c.reply().bulk(e.object);
            c.reply().bulk("username");
            c.reply().bulk(e.username);
            c.reply().bulk("age-seconds");
            c.reply().doubleValue((now - e.updatedMs) / 1000.0);
            c.reply().bulk("client-info");
            c.reply().bulk(e.clientInfo);
            c.reply().bulk("entry-id");
            c.reply().integer(e.id);
            c.reply().bulk("timestamp-created");
            c.reply().integer(e.createdMs);
            c.reply().bulk("timestamp-last-updated");
            c.reply().integer(e.updatedMs);
        }
    }

    private static String aclFile(Client c) {
        return c.server().config().find("aclfile").get();
    }

    static void save(Client c) {
        String file = aclFile(c);
        if (file.isEmpty()) {
            throw CommandError.of(NO_FILE);
        }
        if (!AclFile.save(acl(c), file)) {
            throw CommandError.of("ERR There was an error trying to save the ACLs. Please check the server logs for "
                    + "more information");
        }
        c.reply().ok();
    }

    static void load(Client c) {
        String file = aclFile(c);
        if (file.isEmpty()) {
            throw CommandError.of(NO_FILE);
        }
        String errors = AclFile.load(acl(c), file);
        if (errors != null) {
            throw CommandError.of("ERR " + errors);
        }
        c.reply().ok();
    }
}
