package dev.trellis.server.acl;

import dev.trellis.server.resp.ArgSplitter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splitting rule strings: Redis quoting, and selectors spread over several arguments. */
final class AclArgs {
    private AclArgs() {
    }

    /** Splits with Redis's quoting rules (sdssplitargs); null on unbalanced quotes. */
    static List<String> split(String s) {
        byte[][] parts = ArgSplitter.split(s.getBytes(StandardCharsets.UTF_8));
        if (parts == null) {
            return null;
        }
        List<String> out = new ArrayList<>(parts.length);
        for (byte[] p : parts) {
            out.add(new String(p, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Thrown when a selector's opening parenthesis has no closing one. */
    static final class Unmatched extends Exception {
        final int index;

        Unmatched(int index) {
            super(null, null, false, false);
            this.index = index;
        }
    }

    /**
     * Joins "(+get" "~key)" into one "(+get ~key)" argument, as ACL SETUSER and user lines
     * allow selectors to be written with spaces.
     */
    static List<String> mergeSelectors(List<String> args) throws Unmatched {
        List<String> out = new ArrayList<>(args.size());
        StringBuilder open = null;
        int openAt = -1;
        for (int i = 0; i < args.size(); i++) {
            String op = args.get(i);
            if (open == null && op.startsWith("(") && !op.endsWith(")")) {
                open = new StringBuilder(op);
                openAt = i;
                continue;
            }
            if (open != null) {
                open.append(' ').append(op);
                if (op.endsWith(")")) {
                    out.add(open.toString());
                    open = null;
                }
                continue;
            }
            out.add(op);
        }
        if (open != null) {
            throw new Unmatched(openAt);
        }
        return out;
    }
}
