package io.eddy.core.storage;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Snowflake-like document ids: {@code (millis since 2024-01-01) << 22 | random(10) << 12}, raised to
 * at least one more than the last id handed out, so ids are unique and increasing within a process
 * even if the clock stalls or goes back; the random bits make collisions after a restart with a clock
 * that went back unlikely (and creates check for existing ids anyway). Always a positive long.
 */
final class IdGenerator {
    static final long EPOCH_MILLIS = 1_704_067_200_000L; // 2024-01-01T00:00:00Z
    private final Clock clock;
    private final RandomGenerator random;
    private final AtomicLong last = new AtomicLong();

    IdGenerator(Clock clock, RandomGenerator random) {
        this.clock = clock;
        this.random = random;
    }

    long next() {
        long millis = Math.max(0, Math.min(clock.millis() - EPOCH_MILLIS, (1L << 41) - 1));
        int rnd;
        synchronized (random) {
            rnd = random.nextInt(1 << 10);
        }
        long candidate = (millis << 22) | ((long) rnd << 12);
        long id = last.accumulateAndGet(candidate, (prev, c) -> Math.max(c, prev + 1));
        if (id <= 0) throw new IllegalStateException("document id space exhausted");
        return id;
    }
}
