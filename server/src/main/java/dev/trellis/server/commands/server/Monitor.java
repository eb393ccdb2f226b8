package dev.trellis.server.commands.server;

import dev.trellis.server.Server;
import dev.trellis.server.client.Client;
import dev.trellis.server.command.Command;
import dev.trellis.server.command.CommandFlags;
import dev.trellis.server.command.CommandTable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * MONITOR: every executed command (except admin and skip_monitor ones) is sent to the
 * monitoring clients as a status line {@code +<unix time.micros> [<db> <addr>] "arg" ...}.
 */
public final class Monitor {
    private final List<Client> monitors = new ArrayList<>();
    private dev.trellis.server.command.Dispatcher.Hook hook;

    private Monitor() {
    }

    private static final java.util.Map<Server, Monitor> BY_SERVER =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /**
     * Shows a command flagged skip_monitor to the monitors before it runs: EVAL and FCALL feed
     * themselves this way so the commands their script calls appear after them, as in Redis.
     */
    public static void feedBeforeRun(Server server, Client c) {
        Monitor m = BY_SERVER.get(server);
        if (m == null || m.monitors.isEmpty()) {
            return;
        }
        byte[] line = format(c).getBytes(StandardCharsets.ISO_8859_1);
        for (Client mc : m.monitors) {
            mc.reply().raw(line);
            if (mc != c) {
                mc.transport().flushAsync();
            }
        }
    }

    static void register(Server server, CommandTable t) {
        Monitor m = new Monitor();
        BY_SERVER.put(server, m);
        server.onClientClose(m::stop);
        server.onClientReset(m::stop);
        // Called only while some client monitors.
        m.hook = server.dispatcher().addObserver((c, cmd, dirty, startMs, micros) -> m.feed(c, cmd));
        m.hook.enabled(false);
        t.bind("monitor", c -> {
            if (c.transport() == null) {
                // Module calls and scripts need a reply per command.
                c.reply().error("ERR MONITOR isn't allowed for DENY BLOCKING client");
                return;
            }
            if ((c.flags & Client.FLAG_MONITOR) != 0) {
                return; // already monitoring: no reply, as Redis
            }
            c.flags |= Client.FLAG_MONITOR;
            m.monitors.add(c);
            m.hook.enabled(true);
            c.reply().ok();
        });
    }

    private void stop(Client c) {
        if (monitors.remove(c)) {
            c.flags &= ~Client.FLAG_MONITOR;
            hook.enabled(!monitors.isEmpty());
        }
    }

    private void feed(Client c, Command cmd) {
        if (monitors.isEmpty() || cmd.has(CommandFlags.ADMIN) || cmd.has(CommandFlags.SKIP_MONITOR)) {
            return;
        }
        byte[] line = format(c).getBytes(StandardCharsets.ISO_8859_1);
        for (Client m : monitors) {
            m.reply().raw(line);
            if (m != c) {
                m.transport().flushAsync();
            }
        }
    }

    private static String format(Client c) {
        Instant now = Instant.now();
        StringBuilder sb = new StringBuilder(64);
        sb.append('+').append(now.getEpochSecond()).append('.');
        String micros = Integer.toString(now.getNano() / 1000);
        sb.append("0".repeat(6 - micros.length())).append(micros).append(" [").append(c.db().id()).append(' ');
        if (c.transport() == null) {
            sb.append("lua");
        } else if (c.transport().isUnixSocket()) {
            String local = c.transport().localAddress();
            sb.append("unix:").append(local.endsWith(":0") ? local.substring(0, local.length() - 2) : local);
        } else {
            sb.append(c.transport().remoteAddress());
        }
        sb.append("] ");
        byte[][] argv = c.shownArgv != null ? c.shownArgv : c.argv;
        for (int j = 0; j < c.argc; j++) {
            if (j > 0) {
                sb.append(' ');
            }
            repr(sb, argv[j]);
        }
        return sb.append("\r\n").toString();
    }

    /** Redis's quoted representation of an argument (sdscatrepr). */
    static void repr(StringBuilder sb, byte[] arg) {
        sb.append('"');
        for (byte b : arg) {
            int ch = b & 0xff;
            switch (ch) {
                case '\\', '"' -> sb.append('\\').append((char) ch);
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (ch >= 32 && ch < 127) {
                        sb.append((char) ch);
                    } else {
                        sb.append(String.format("\\x%02x", ch));
                    }
                }
            }
        }
        sb.append('"');
    }
}
