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
 * @param walPrefetchBytes how far ahead of RocksDB's writer the write-ahead log's pages are read, so that a
 *     synced write never waits to read the page it overwrites (see {@link WalPrefetcher}); 0 turns it off;
 *     at most 64 MiB; default 512 KiB
 */
public record StoreConfig(Path dataDir, Duration minHistoryRetention, int maxBatchTransactions, Clock clock,
        int walPrefetchBytes) {
    /** The default {@link #walPrefetchBytes}: ~0.25 s ahead of a writer logging 2 MB/s. */
    public static final int DEFAULT_WAL_PREFETCH_BYTES = 512 * 1024;

    public StoreConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(minHistoryRetention, "minHistoryRetention");
        Objects.requireNonNull(clock, "clock");
        if (minHistoryRetention.isNegative()) throw new IllegalArgumentException("minHistoryRetention must be >= 0");
        if (maxBatchTransactions < 1 || maxBatchTransactions > 100_000)
            throw new IllegalArgumentException("maxBatchTransactions must be in 1..100000");
        if (walPrefetchBytes < 0 || walPrefetchBytes > 64 << 20)
            throw new IllegalArgumentException("walPrefetchBytes must be in 0..67108864");
    }

    public static StoreConfig defaults(Path dataDir) {
        return new StoreConfig(dataDir, Duration.ofHours(24), 1024, Clock.systemUTC(), DEFAULT_WAL_PREFETCH_BYTES);
    }
}
