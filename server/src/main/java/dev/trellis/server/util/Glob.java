package dev.trellis.server.util;

/**
 * Glob-style matching with Redis's rules (KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET):
 * {@code *}, {@code ?}, {@code [abc]}, {@code [^a-z]}, and {@code \} to escape.
 */
public final class Glob {
    private Glob() {
    }

    public static boolean match(byte[] pattern, byte[] s, boolean nocase) {
        return match(pattern, 0, s, 0, nocase, 0);
    }

    public static boolean match(String pattern, String s, boolean nocase) {
        return match(pattern.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                s.getBytes(java.nio.charset.StandardCharsets.UTF_8), nocase);
    }

    private static boolean match(byte[] p, int pi, byte[] s, int si, boolean nocase, int depth) {
        if (depth > 1000) {
            return false; // pathological patterns: give up like Redis's nesting limit
        }
        while (pi < p.length && si <= s.length) {
            byte c = p[pi];
            switch (c) {
                case '*':
                    while (pi + 1 < p.length && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length) {
                        return true;
                    }
                    for (int k = si; k <= s.length; k++) {
                        if (match(p, pi + 1, s, k, nocase, depth + 1)) {
                            return true;
                        }
                    }
                    return false;
                case '?':
                    if (si >= s.length) {
                        return false;
                    }
                    si++;
                    break;
                case '[': {
                    if (si >= s.length) {
                        return false;
                    }
                    pi++;
                    boolean not = pi < p.length && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean matched = false;
                    while (true) {
                        if (pi >= p.length) {
                            pi--; // unterminated: treat end as ']'
                            break;
                        }
                        if (p[pi] == '\\' && pi + 1 < p.length) {
                            pi++;
                            if (eq(p[pi], s[si], nocase)) {
                                matched = true;
                            }
                        } else if (p[pi] == ']') {
                            break;
                        } else if (pi + 2 < p.length && p[pi + 1] == '-') {
                            int start = p[pi] & 0xff;
                            int end = p[pi + 2] & 0xff;
                            int ch = s[si] & 0xff;
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = Character.toLowerCase(start);
                                end = Character.toLowerCase(end);
                                ch = Character.toLowerCase(ch);
                            }
                            pi += 2;
                            if (ch >= start && ch <= end) {
                                matched = true;
                            }
                        } else if (eq(p[pi], s[si], nocase)) {
                            matched = true;
                        }
                        pi++;
                    }
                    if (not) {
                        matched = !matched;
                    }
                    if (!matched) {
                        return false;
                    }
                    si++;
                    break;
                }
                case '\\':
                    if (pi + 1 < p.length) {
                        pi++;
                    }
                    // fall through to literal
                default:
                    if (si >= s.length || !eq(p[pi], s[si], nocase)) {
                        return false;
                    }
                    si++;
                    break;
            }
            pi++;
            if (si == s.length) {
                while (pi < p.length && p[pi] == '*') {
                    pi++;
                }
                break;
            }
        }
        return pi == p.length && si == s.length;
    }

    private static boolean eq(byte a, byte b, boolean nocase) {
        if (a == b) {
            return true;
        }
        return nocase && Character.toLowerCase(a & 0xff) == Character.toLowerCase(b & 0xff);
    }
}
