package dev.trellis.server.config;

/**
 * client-output-buffer-limit for the three client classes: a hard limit in bytes, and a soft
 * limit that closes the client when exceeded for longer than the given seconds (0 disables).
 */
public final class OutputBufferLimits {
    public enum ClientClass { NORMAL, REPLICA, PUBSUB }

    public final long[] hard = {0, 256L << 20, 32L << 20};
    public final long[] soft = {0, 64L << 20, 8L << 20};
    public final long[] softSeconds = {0, 60, 60};

    public String format() {
        return "normal " + hard[0] + " " + soft[0] + " " + softSeconds[0]
                + " slave " + hard[1] + " " + soft[1] + " " + softSeconds[1]
                + " pubsub " + hard[2] + " " + soft[2] + " " + softSeconds[2];
    }

    /** Parses "class hard soft seconds [class ...]"; unnamed classes keep their values. */
    public void parse(String value) throws ConfigException {
        String[] w = Config.words(value).toArray(new String[0]);
        if (w.length % 4 != 0) {
            throw new ConfigException("Wrong number of arguments in buffer limit configuration.");
        }
        long[][] next = {hard.clone(), soft.clone(), softSeconds.clone()};
        for (int i = 0; i < w.length; i += 4) {
            int cls = switch (w[i].toLowerCase()) {
                case "normal" -> 0;
                case "replica", "slave" -> 1;
                case "pubsub" -> 2;
                default -> -1;
            };
            if (cls < 0) {
                throw new ConfigException("Invalid client class specified in buffer limit configuration.");
            }
            long h = ConfigValues.memoryOr(w[i + 1], -1);
            long s = ConfigValues.memoryOr(w[i + 2], -1);
            long secs;
            try {
                secs = Long.parseLong(w[i + 3]);
            } catch (NumberFormatException e) {
                secs = -1;
            }
            if (h < 0 || s < 0 || secs < 0) {
                throw new ConfigException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            next[0][cls] = h;
            next[1][cls] = s;
            next[2][cls] = secs;
        }
        System.arraycopy(next[0], 0, hard, 0, 3);
        System.arraycopy(next[1], 0, soft, 0, 3);
        System.arraycopy(next[2], 0, softSeconds, 0, 3);
    }
}
