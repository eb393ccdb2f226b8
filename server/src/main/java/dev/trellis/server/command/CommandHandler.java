package dev.trellis.server.command;

import dev.trellis.server.client.Client;

/** The body of a command: reads {@code c.argv}, works on {@code c.db()}, replies on {@code c.reply()}. */
@FunctionalInterface
public interface CommandHandler {
    void execute(Client c);
}
