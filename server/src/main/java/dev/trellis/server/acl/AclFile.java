package dev.trellis.server.acl;

import dev.trellis.server.log.ServerLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ACL file: one {@code user <name> <rules...>} line per user. Loading is all or nothing:
 * any bad line leaves the users as they were and reports every problem found in one line.
 */
final class AclFile {
    private AclFile() {
    }

    /** ACL LOAD: null on success, otherwise Redis's error text. */
    static String load(Acl acl, String filename) {
        String text;
        try {
            text = Files.readString(acl.resolve(filename), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "Error loading ACLs, opening file '" + filename + "': No such file or directory";
        } catch (IOException e) {
            return "Error loading ACLs, opening file '" + filename + "': " + e.getMessage();
        }
        StringBuilder errors = new StringBuilder();
        Map<String, User> loaded = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            List<String> argv = new ArrayList<>(Arrays.asList(line.split(" ", -1)));
            if (!argv.get(0).equals("user") || argv.size() < 2) {
                errors.append(filename).append(':').append(lineNo)
                        .append(" should start with user keyword followed by the username. ");
                continue;
            }
            String name = argv.get(1);
            if (loaded.containsKey(name)) {
                errors.append("WARNING: Duplicate user '").append(name).append("' found on line ").append(lineNo)
                        .append(". ");
                continue;
            }
            User u = acl.newUser(name);
            loaded.put(name, u);
            List<String> rules;
            try {
                rules = AclArgs.mergeSelectors(argv.subList(2, argv.size()));
            } catch (AclArgs.Unmatched e) {
                errors.append(filename).append(':').append(lineNo).append(": Unmatched parenthesis in selector definition.");
                continue;
            }
            boolean syntaxError = false;
            for (String op : rules) {
                op = op.strip();
                try {
                    u.apply(op, acl, acl.allChannelsByDefault());
                } catch (AclRuleException e) {
                    if (e.kind() == AclRuleException.Kind.UNKNOWN_NAME) {
                        errors.append(filename).append(':').append(lineNo).append(": Error in applying operation '")
                                .append(op).append("': ").append(e.getMessage()).append(". ");
                    } else if (!syntaxError) {
                        errors.append(filename).append(':').append(lineNo).append(": ").append(e.getMessage())
                                .append(". ");
                        syntaxError = true;
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            return errors.append("WARNING: ACL errors detected, no change to the previously active ACL rules was "
                    + "performed").toString();
        }
        acl.replaceUsers(loaded);
        return null;
    }

    /** ACL SAVE: writes a temporary file and renames it over the ACL file. */
    static boolean save(Acl acl, String filename) {
        StringBuilder sb = new StringBuilder();
        for (User u : acl.users()) {
            sb.append("user ").append(u.name()).append(' ').append(u.describe()).append('\n');
        }
        Path target = acl.resolve(filename);
        Path tmp = acl.resolve(filename + ".tmp-" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis());
        try {
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException e) {
            ServerLog.get().warning("Writing ACL file for ACL SAVE: " + e.getMessage());
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // nothing more to do
            }
            return false;
        }
    }
}
