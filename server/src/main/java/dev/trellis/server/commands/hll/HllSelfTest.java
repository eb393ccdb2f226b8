package dev.trellis.server.commands.hll;

import dev.trellis.server.client.Client;
import dev.trellis.server.command.CommandError;
import dev.trellis.server.types.hll.HyperLogLogSelfTest;
import java.util.concurrent.ThreadLocalRandom;

/**
 * PFSELFTEST: Redis's self test of the register packing (random values written and read
 * back) and of the estimator (up to ten million distinct elements counted in a dense and a
 * sparse HyperLogLog, which must agree and stay within six standard errors).
 */
final class HllSelfTest {
    private static final int CYCLES = 1000;

    private HllSelfTest() {
    }

    static void execute(Client c) {
        String failure = HyperLogLogSelfTest.run(c.server().config().hllSparseMaxBytes, CYCLES, 10_000_000,
                ThreadLocalRandom.current());
        if (failure != null) {
            throw CommandError.of(failure);
        }
        c.reply().ok();
    }
}
