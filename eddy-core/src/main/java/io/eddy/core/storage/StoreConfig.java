package io.eddy.core.storage;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of the storage engine.
 *
 * @param dataDir folder holding the RocksDB database (created if missing)
 * @param minHistoryRetention change-log history kept at least this long (collections may ask for more
 *     with {@code history_days}); default 24 hours
 * @param maxBatchTransactions the most transactions one group commit writes in one synced batch
 * @param clock source of commit times; commit times never go back even if the clock does
 */
public record StoreConfig(Path dataDir, Duration minHistoryRetention, int maxBatchTransactions, Clock clock) {
    public StoreConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(minHistoryRetention, "minHistoryRetention");
        Objects.requireNonNull(clock, "clock");
        if (minHistoryRetention.isNegative()) throw new IllegalArgumentException("minHistoryRetention must be >= 0");
        if (maxBatchTransactions < 1 || maxBatchTransactions > 100_000)
            throw new IllegalArgumentException("maxBatchTransactions must be in 1..100000");
    }

    public static StoreConfig defaults(Path dataDir) {
        return new StoreConfig(dataDir, Duration.ofHours(24), 1024, Clock.systemUTC());
    }
}
