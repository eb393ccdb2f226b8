package dev.trellis.server.persist.aof;

import dev.trellis.server.persist.DurableFiles;
import dev.trellis.server.resp.ArgSplitter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The AOF manifest of Redis 7's multi-part AOF: one line per file ({@code file NAME seq N type
 * b|h|i}), the base first, then history files, then the incremental files in order. Written
 * through a synced temporary file and renamed, so it always describes complete files.
 */
public final class AofManifest {
    /** One file of the AOF. */
    public record Entry(String name, long seq, char type) {
    }

    /** Thrown for a manifest that cannot be used (Redis exits on these). */
    public static final class BadManifest extends Exception {
        public final int line;
        public final String text;

        BadManifest(String message, int line, String text) {
            super(message);
            this.line = line;
            this.text = text;
        }
    }

    public Entry base;
    public final List<Entry> history = new ArrayList<>();
    public final List<Entry> incr = new ArrayList<>();
    public long baseSeq;
    public long incrSeq;

    public AofManifest copy() {
        AofManifest m = new AofManifest();
        m.base = base;
        m.history.addAll(history);
        m.incr.addAll(incr);
        m.baseSeq = baseSeq;
        m.incrSeq = incrSeq;
        return m;
    }

    public boolean isEmpty() {
        return base == null && incr.isEmpty();
    }

    /** Parses a manifest's text. */
    public static AofManifest parse(String text) throws BadManifest {
        AofManifest m = new AofManifest();
        long maxSeq = 0;
        int lineNo = 0;
        String[] lines = text.split("\n", -1);
        int count = text.endsWith("\n") ? lines.length - 1 : lines.length;
        if (text.isEmpty()) {
            throw new BadManifest("Found an empty AOF manifest", 0, null);
        }
        for (int i = 0; i < count; i++) {
            String raw = lines[i];
            lineNo++;
            if (raw.startsWith("#")) {
                continue;
            }
            if (raw.length() > 1024) {
                throw new BadManifest("The AOF manifest file contains too long line", lineNo, raw);
            }
            String line = raw.strip();
            if (line.isEmpty()) {
                throw new BadManifest("Invalid AOF manifest file format", lineNo, line);
            }
            byte[][] args = ArgSplitter.split(line.getBytes(StandardCharsets.ISO_8859_1));
            if (args == null || args.length < 6 || args.length % 2 != 0) {
                throw new BadManifest("Invalid AOF manifest file format", lineNo, line);
            }
            String name = null;
            long seq = 0;
            char type = 0;
            for (int k = 0; k < args.length; k += 2) {
                String key = new String(args[k], StandardCharsets.ISO_8859_1);
                String val = new String(args[k + 1], StandardCharsets.ISO_8859_1);
                if (key.equalsIgnoreCase("file")) {
                    name = val;
                    if (name.contains("/")) {
                        throw new BadManifest("File can't be a path, just a filename", lineNo, line);
                    }
                } else if (key.equalsIgnoreCase("seq")) {
                    seq = atoll(val);
                } else if (key.equalsIgnoreCase("type")) {
                    type = val.isEmpty() ? 0 : val.charAt(0);
                }
            }
            if (name == null || seq == 0 || type == 0) {
                throw new BadManifest("Invalid AOF manifest file format", lineNo, line);
            }
            Entry e = new Entry(name, seq, type);
            switch (type) {
                case 'b' -> {
                    if (m.base != null) {
                        throw new BadManifest("Found duplicate base file information", lineNo, line);
                    }
                    m.base = e;
                    m.baseSeq = seq;
                }
                case 'h' -> m.history.add(e);
                case 'i' -> {
                    if (seq <= maxSeq) {
                        throw new BadManifest("Found a non-monotonic sequence number", lineNo, line);
                    }
                    m.incr.add(e);
                    m.incrSeq = seq;
                    maxSeq = seq;
                }
                default -> throw new BadManifest("Unknown AOF file type", lineNo, line);
            }
        }
        return m;
    }

    private static long atoll(String s) {
        int i = 0;
        long v = 0;
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        for (; i < s.length() && Character.isDigit(s.charAt(i)); i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return neg ? -v : v;
    }

    /** The manifest's text: base, history, then incremental files. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        if (base != null) {
            line(sb, base);
        }
        for (Entry e : history) {
            line(sb, e);
        }
        for (Entry e : incr) {
            line(sb, e);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, Entry e) {
        sb.append("file ").append(needsQuotes(e.name()) ? quote(e.name()) : e.name())
                .append(" seq ").append(e.seq()).append(" type ").append(e.type()).append('\n');
    }

    private static boolean needsQuotes(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '"' || c == '\'' || c <= ' ' || c >= 127) {
                return true;
            }
        }
        return s.isEmpty();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte b : s.getBytes(StandardCharsets.ISO_8859_1)) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c >= 32 && c < 127) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** A new base name (the old base becomes history), as Redis names them. */
    public String newBase(String prefix, boolean rdb) {
        if (base != null) {
            history.add(0, new Entry(base.name(), base.seq(), 'h'));
        }
        baseSeq++;
        base = new Entry(prefix + "." + baseSeq + ".base" + (rdb ? ".rdb" : ".aof"), baseSeq, 'b');
        return base.name();
    }

    /** A new incremental file, appended to the list. */
    public String newIncr(String prefix) {
        incrSeq++;
        Entry e = new Entry(prefix + "." + incrSeq + ".incr.aof", incrSeq, 'i');
        incr.add(e);
        return e.name();
    }

    /** Every incremental file but the last (the one being written) becomes history. */
    public void incrsBeforeLastToHistory(boolean keepLast) {
        int keep = keepLast && !incr.isEmpty() ? 1 : 0;
        while (incr.size() > keep) {
            Entry e = incr.remove(0);
            history.add(0, new Entry(e.name(), e.seq(), 'h'));
        }
    }

    public static Path path(Path dir, String prefix) {
        return dir.resolve(prefix + ".manifest");
    }

    /** Reads the manifest in {@code dir}, or null when there is none. */
    public static AofManifest load(Path dir, String prefix) throws IOException, BadManifest {
        Path p = path(dir, prefix);
        if (!Files.isDirectory(dir) || !Files.exists(p)) {
            return null;
        }
        return parse(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
    }

    public void persist(Path dir, String prefix) throws IOException {
        DurableFiles.writeAtomically(path(dir, prefix), format().getBytes(StandardCharsets.ISO_8859_1));
    }
}
