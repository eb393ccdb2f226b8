package dev.trellis.server.config;

import dev.trellis.server.resp.ArgSplitter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads redis.conf syntax (quoted arguments, {@code include}, repeated directives) and the
 * command line ({@code [file] [--name value ...]}, {@code -} for stdin) into a {@link Config}.
 */
public final class ConfigLoader {
    /** A fatal problem at a config line, reported the way Redis does before exiting. */
    public static final class FatalConfigError extends Exception {
        public final int lineNumber;
        public final String line;
        public final String reason;

        FatalConfigError(int lineNumber, String line, String reason) {
            super(reason);
            this.lineNumber = lineNumber;
            this.line = line;
            this.reason = reason;
        }
    }

    private final Config config;
    private final Set<String> seenMultiArg = new HashSet<>();
    private int includeDepth;

    public ConfigLoader(Config config) {
        this.config = config;
    }

    /**
     * Builds the config text from the command line as redis-server does: the optional file,
     * stdin when "-" is given, then each {@code --name args...} as one more line.
     */
    public void loadCommandLine(String[] args, String stdin) throws FatalConfigError, IOException {
        int i = 0;
        StringBuilder text = new StringBuilder();
        if (i < args.length && !args[i].startsWith("--") && !args[i].equals("-")) {
            Path file = Path.of(args[i]).toAbsolutePath();
            config.configFile(file.toString());
            text.append(readFile(file)).append('\n');
            i++;
        }
        StringBuilder options = new StringBuilder();
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-")) {
                if (stdin != null) {
                    text.append(stdin).append('\n');
                }
            } else if (a.startsWith("--") && a.length() > 2) {
                if (!options.isEmpty()) {
                    options.append('\n');
                }
                options.append(a.substring(2)).append(' ');
            } else {
                options.append(quote(a)).append(' ');
            }
        }
        text.append(options);
        loadString(text.toString());
    }

    private static String readFile(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(ch);
            }
        }
        return sb.append('"').toString();
    }

    /** Applies config text; stops at the first bad line. */
    public void loadString(String text) throws FatalConfigError, IOException {
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            byte[][] argv = ArgSplitter.split(line.getBytes(StandardCharsets.ISO_8859_1));
            if (argv == null) {
                throw new FatalConfigError(n + 1, line, "Unbalanced quotes in configuration line");
            }
            if (argv.length == 0) {
                continue;
            }
            List<String> words = new ArrayList<>();
            for (byte[] a : argv) {
                words.add(new String(a, StandardCharsets.ISO_8859_1));
            }
            String name = words.get(0).toLowerCase(Locale.ROOT);
            try {
                apply(name, words.subList(1, words.size()));
            } catch (ConfigException e) {
                throw new FatalConfigError(n + 1, line, e.getMessage());
            }
        }
    }

    private void apply(String name, List<String> args) throws ConfigException, FatalConfigError, IOException {
        if (name.equals("include")) {
            if (args.size() != 1) {
                throw new ConfigException("Bad directive or wrong number of arguments");
            }
            if (++includeDepth > 16) {
                throw new ConfigException("Too many nested includes");
            }
            try {
                loadString(readFile(Path.of(args.get(0))));
            } catch (IOException e) {
                throw new ConfigException("Fatal error, can't open config file '" + args.get(0) + "': " + e.getMessage());
            } finally {
                includeDepth--;
            }
            return;
        }
        if (name.equals("user")) {
            addUser(args);
            return;
        }
        ConfigParam p = config.find(name);
        if (p == null && name.indexOf('.') >= 0) {
            // A module config: kept until the module loads and asks for it.
            if (args.isEmpty()) {
                throw new ConfigException("Module config specified without value");
            }
            config.moduleConfigQueue.put(name, String.join(" ", args));
            return;
        }
        if (p == null) {
            throw new ConfigException("Bad directive or wrong number of arguments");
        }
        if (p.has(ConfigParam.APPEND)) {
            p.set(joinQuoted(args));
            return;
        }
        if (p.has(ConfigParam.MULTI_ARG)) {
            if (args.isEmpty()) {
                throw new ConfigException("Bad directive or wrong number of arguments");
            }
            String value = String.join(" ", args);
            if (p.name().equals("save") && seenMultiArg.contains("save") && !value.isEmpty()) {
                // Repeated save lines add points; the first one replaces the default.
                String current = p.get();
                value = current.isEmpty() ? value : current + " " + value;
            }
            seenMultiArg.add(p.name());
            p.set(value);
            return;
        }
        if (args.size() != 1) {
            throw new ConfigException("Bad directive or wrong number of arguments");
        }
        p.set(args.get(0));
    }

    /** A {@code user} line: kept for the ACL, which loads users once modules are loaded. */
    private void addUser(List<String> args) throws ConfigException {
        if (args.isEmpty()) {
            throw new ConfigException("Bad directive or wrong number of arguments");
        }
        for (List<String> u : config.aclUsers) {
            if (u.get(0).equals(args.get(0))) {
                throw new ConfigException("Error in user declaration '" + args.get(0)
                        + "': Duplicate user found. A user can only be defined once in config files");
            }
        }
        config.aclUsers.add(new ArrayList<>(args));
    }

    /** Joins arguments for APPEND directives (loadmodule path args...), keeping spaces inside. */
    private static String joinQuoted(List<String> args) {
        return String.join(" ", args);
    }
}
