package dev.trellis.server.acl;

import dev.trellis.server.command.Command;

/**
 * Which arguments of the pub/sub commands are channels, as Redis's channel table says:
 * SUBSCRIBE/SSUBSCRIBE (all, subscribe), PSUBSCRIBE (all, patterns), PUBLISH/SPUBLISH (the
 * first). Unsubscribing is always allowed, so those commands are not listed.
 */
final class ChannelArgs {
    static final int NONE = 0;
    static final int SUBSCRIBE = 1;
    static final int PATTERN_SUBSCRIBE = 2;
    static final int PUBLISH = 3;

    private ChannelArgs() {
    }

    static int kind(Command c) {
        if (c.parent() != null) {
            return NONE;
        }
        return switch (c.name()) {
            case "subscribe", "ssubscribe" -> SUBSCRIBE;
            case "psubscribe" -> PATTERN_SUBSCRIBE;
            case "publish", "spublish" -> PUBLISH;
            default -> NONE;
        };
    }
}
