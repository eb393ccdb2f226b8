package dev.trellis.server.keyspace;

/**
 * How a key's access field is kept: an LRU clock (seconds, 24 bits, as Redis) or an LFU
 * logarithmic counter with its last-decrement time in minutes (Redis's 16+8 bit layout).
 */
public enum AccessClock {
    LRU {
        @Override
        int touch(int access) {
            return lruClock();
        }
    },
    LFU {
        @Override
        int touch(int access) {
            int counter = Lfu.decay(access);
            counter = Lfu.increment(counter);
            return (Lfu.minutes() << 8) | counter;
        }
    };

    abstract int touch(int access);

    /** The access value of a newly created key (Redis's createObject). */
    int initial() {
        return this == LRU ? lruClock() : (Lfu.minutes() << 8) | Lfu.INIT_VAL;
    }

    public static final int LRU_MAX = (1 << 24) - 1;

    /**
     * Wall-clock milliseconds cached at the start of each command and cron tick, as Redis caches
     * its LRU clock: key accesses read it instead of the system clock (a clock read per touched
     * key was a measurable share of a write's cost). Zero until first cached.
     */
    private static volatile long cachedMs;

    /** Caches the time key accesses are stamped with (the keyspace does so per command). */
    public static void cache(long nowMs) {
        cachedMs = nowMs;
    }

    private static long nowMs() {
        long ms = cachedMs;
        return ms != 0 ? ms : System.currentTimeMillis();
    }

    public static int lruClock() {
        return (int) ((nowMs() / 1000) & LRU_MAX);
    }

    /** Seconds since the key was last accessed, from an LRU access value. */
    public static long idleSeconds(int access) {
        int now = lruClock();
        int a = access & LRU_MAX;
        return now >= a ? now - a : (LRU_MAX - a) + now;
    }

    /** LFU counter arithmetic, with lfu-log-factor and lfu-decay-time. */
    public static final class Lfu {
        public static volatile int logFactor = 10;
        public static volatile int decayTime = 1;
        public static final int INIT_VAL = 5;

        private Lfu() {
        }

        static int minutes() {
            return (int) ((nowMs() / 60000) & 0xffff);
        }

        public static int counter(int access) {
            return access & 0xff;
        }

        static int decay(int access) {
            if (access == 0) {
                return INIT_VAL;
            }
            int last = (access >>> 8) & 0xffff;
            int now = minutes();
            int elapsed = now >= last ? now - last : 65535 - last + now;
            int periods = decayTime > 0 ? elapsed / decayTime : 0;
            int counter = access & 0xff;
            return periods > counter ? 0 : counter - periods;
        }

        static int increment(int counter) {
            if (counter == 255) {
                return 255;
            }
            double r = java.util.concurrent.ThreadLocalRandom.current().nextDouble();
            double base = counter - INIT_VAL;
            if (base < 0) {
                base = 0;
            }
            double p = 1.0 / (base * logFactor + 1);
            return r < p ? counter + 1 : counter;
        }

        /** The decayed counter, as OBJECT FREQ reports it. */
        public static int current(int access) {
            return decay(access);
        }
    }
}
