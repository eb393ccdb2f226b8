package dev.trellis.server.testing;

import java.util.List;

/**
 * One RESP reply with its type byte kept: '+' simple, '-' error, ':' integer, '$' bulk
 * (text null for a null bulk/array), '*' array, '%' map (items flattened k,v), '~' set,
 * ',' double, '#' boolean, '_' null, '(' big number, '=' verbatim, '>' push.
 */
public record RespValue(char type, String text, List<RespValue> items) {
    public boolean isError() {
        return type == '-';
    }

    public boolean isNull() {
        return type == '_' || ((type == '$' || type == '*') && text == null && items == null);
    }

    public long asLong() {
        return Long.parseLong(text);
    }

    public RespValue get(int i) {
        return items.get(i);
    }

    /** A compact canonical form for comparing two servers' replies exactly. */
    @Override
    public String toString() {
        if (items != null) {
            StringBuilder sb = new StringBuilder().append(type).append('[');
            for (int i = 0; i < items.size(); i++) {
                sb.append(i == 0 ? "" : ", ").append(items.get(i));
            }
            return sb.append(']').toString();
        }
        return text == null ? type + "(nil)" : type + text;
    }
}
