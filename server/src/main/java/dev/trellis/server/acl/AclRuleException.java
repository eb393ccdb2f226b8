package dev.trellis.server.acl;

/**
 * An ACL rule that cannot be applied, with Redis's explanation (the text after
 * "Error in ACL SETUSER modifier '...': ").
 */
public final class AclRuleException extends Exception {
    /** Why a rule was refused; {@link #UNKNOWN_NAME} rules may become valid once modules load. */
    public enum Kind { SYNTAX, UNKNOWN_NAME, KEYS_AFTER_STAR, CHANNELS_AFTER_STAR, NO_SUCH_PASSWORD, BAD_HASH,
        SUBCOMMAND_FIRST_ARG, DUPLICATE_USER }

    private final Kind kind;

    public AclRuleException(Kind kind) {
        super(message(kind), null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    private static String message(Kind k) {
        return switch (k) {
            case SYNTAX -> "Syntax error";
            case UNKNOWN_NAME -> "Unknown command or category name in ACL";
            case KEYS_AFTER_STAR -> "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid "
                    + "and does not have any effect. Try 'resetkeys' to start with an empty list of patterns";
            case CHANNELS_AFTER_STAR -> "Adding a pattern after the * pattern (or the 'allchannels' flag) is not "
                    + "valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels";
            case NO_SUCH_PASSWORD -> "The password you are trying to remove from the user does not exist";
            case BAD_HASH -> "The password hash must be exactly 64 characters and contain only lowercase "
                    + "hexadecimal characters";
            case SUBCOMMAND_FIRST_ARG -> "Allowing first-arg of a subcommand is not supported";
            case DUPLICATE_USER -> "Duplicate user found. A user can only be defined once in config files";
        };
    }
}
