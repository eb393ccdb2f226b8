package dev.trellis.server.info;

import java.util.Locale;

/** Collects INFO lines ({@code name:value\r\n}) with Redis's number formats. */
public final class InfoOutput {
    private final StringBuilder sb;

    public InfoOutput(StringBuilder sb) {
        this.sb = sb;
    }

    public InfoOutput field(String name, long value) {
        sb.append(name).append(':').append(value).append("\r\n");
        return this;
    }

    public InfoOutput field(String name, String value) {
        sb.append(name).append(':').append(value).append("\r\n");
        return this;
    }

    /** A number printed with two decimals, as Redis's {@code %.2f}. */
    public InfoOutput fixed2(String name, double value) {
        return field(name, fixed2(value));
    }

    /** A percentage printed as {@code %.2f%%}. */
    public InfoOutput percent(String name, double value) {
        return field(name, fixed2(value) + "%");
    }

    /** A raw line; {@code line} must not contain CR or LF. */
    public InfoOutput line(String line) {
        sb.append(line).append("\r\n");
        return this;
    }

    public static String fixed2(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** Replaces the characters that would break INFO's format ({@code # : \r \n}) with '_'. */
    public static String safe(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '#' || ch == ':' || ch == '\r' || ch == '\n') {
                if (out == null) {
                    out = new StringBuilder(s);
                }
                out.setCharAt(i, '_');
            }
        }
        return out == null ? s : out.toString();
    }
}
