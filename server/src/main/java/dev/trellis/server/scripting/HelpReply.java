package dev.trellis.server.scripting;

import dev.trellis.server.client.Client;

/** Redis's addReplyHelp: a header, the given lines, then HELP's own line. */
final class HelpReply {
    private HelpReply() {
    }

    static void reply(Client c, String command, String... lines) {
        c.reply().array(lines.length + 3);
        c.reply().simple(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        for (String l : lines) {
            c.reply().simple(l);
        }
        c.reply().simple("HELP");
        c.reply().simple("    Print this help.");
    }
}
