package dev.trellis.server.acl;

import dev.trellis.server.command.Command;

/** What rules are resolved against: the command table, command ids and categories. */
interface CommandUniverse {
    /** A command or "parent|sub", case-insensitively; null if unknown. */
    Command lookup(String name);

    /** The command's bit in a selector's bitmap (stable per lowercase full name). */
    int id(Command c);

    /** The canonical (lowercase) name of a category, or null when there is none by that name. */
    String category(String name);

    /** Whether {@code c} is in {@code category} (declared or implied by its flags). */
    boolean inCategory(Command c, String category);

    /** Every top-level command (subcommands are reached through them). */
    Iterable<Command> commands();
}
