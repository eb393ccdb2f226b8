package dev.trellis.server.command;

import java.util.List;

/**
 * Where a command's keys are, as Redis's key specs describe it: a begin-search step (a fixed
 * index or after a keyword) then a find-keys step (a range, or a count argument followed by
 * keys). Flags say how the key is used (RW, RO, OW, RM, ACCESS, INSERT, UPDATE, DELETE...).
 */
public record KeySpec(
        List<String> flags,
        int bsIndex, String bsKeyword, int bsKeywordStart,
        boolean rangeKind, int lastKey, int keyStep, int limit,
        int keyNumIndex, int firstKey, int keyNumStep) {

    /** Appends the positions of keys in {@code argv} to {@code out}; returns false on bad input. */
    public boolean keys(byte[][] argv, int argc, java.util.function.IntConsumer out) {
        int start;
        if (bsKeyword == null) {
            start = bsIndex;
        } else {
            start = -1;
            int from = bsKeywordStart >= 0 ? bsKeywordStart : argc + bsKeywordStart;
            int step = bsKeywordStart >= 0 ? 1 : -1;
            for (int i = from; i > 0 && i < argc; i += step) {
                if (new String(argv[i], java.nio.charset.StandardCharsets.UTF_8).equalsIgnoreCase(bsKeyword)) {
                    start = i + 1;
                    break;
                }
            }
            if (start < 0) {
                return true;
            }
        }
        if (start >= argc) {
            return true;
        }
        if (rangeKind) {
            int last;
            if (lastKey >= 0) {
                last = start + lastKey;
            } else if (limit <= 1 || lastKey != -1) {
                last = argc + lastKey;
            } else {
                last = start + ((argc - start) / limit) - 1;
            }
            for (int i = start; i <= last && i < argc; i += keyStep) {
                out.accept(i);
            }
            return true;
        }
        int numIdx = start + keyNumIndex;
        if (numIdx >= argc) {
            return false;
        }
        long n;
        try {
            n = Long.parseLong(new String(argv[numIdx], java.nio.charset.StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return false;
        }
        int first = start + firstKey;
        if (n < 0 || first + (n - 1) * keyNumStep >= argc) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            out.accept(first + k * keyNumStep);
        }
        return true;
    }
}
