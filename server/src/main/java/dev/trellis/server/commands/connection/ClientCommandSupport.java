package dev.trellis.server.commands.connection;

import dev.trellis.server.command.CommandError;

/** Shared checks for client names (CLIENT SETNAME, HELLO SETNAME). */
public final class ClientCommandSupport {
    private ClientCommandSupport() {
    }

    public static void validateName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                throw CommandError.of("ERR Client names cannot contain spaces, newlines or special characters.");
            }
        }
    }
}
