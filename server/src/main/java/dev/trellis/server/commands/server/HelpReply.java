package dev.trellis.server.commands.server;

import dev.trellis.server.client.Client;
import java.util.List;

/** The reply of a container command's HELP: a header line, the given lines, and HELP itself. */
public final class HelpReply {
    private HelpReply() {
    }

    public static void write(Client c, String command, List<String> lines) {
        c.reply().array(lines.size() + 3L);
        c.reply().simple(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) {
            c.reply().simple(l);
        }
        c.reply().simple("HELP");
        c.reply().simple("    Print this help.");
    }
}
