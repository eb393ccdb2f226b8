package dev.trellis.server.info;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses INFO output the way clients do: "# Section" headers and "name:value" lines. */
public final class InfoText {
    public final List<String> sections = new ArrayList<>();
    public final Map<String, String> fields = new LinkedHashMap<>();

    public static InfoText parse(String text) {
        InfoText t = new InfoText();
        for (String line : text.split("\r\n")) {
            if (line.startsWith("# ")) {
                t.sections.add(line.substring(2));
            } else if (!line.isEmpty()) {
                int colon = line.indexOf(':');
                t.fields.put(line.substring(0, colon), line.substring(colon + 1));
            }
        }
        return t;
    }

    public String get(String name) {
        return fields.get(name);
    }

    public long num(String name) {
        return Long.parseLong(fields.get(name));
    }
}
