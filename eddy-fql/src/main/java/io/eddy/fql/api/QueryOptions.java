package io.eddy.fql.api;

import java.time.Duration;
import java.util.Map;

/**
 * Per-request options, from the HTTP headers.
 *
 * @param timeout the query's time budget ({@code X-Query-Timeout-Ms}; default 2 minutes)
 * @param lastTxnTs the client's last seen commit time ({@code X-Last-Txn-Ts}); <= 0 when absent
 * @param queryTags tags to echo back ({@code X-Query-Tags}), in request order
 * @param maxContentionRetries retries after a transaction conflict ({@code X-Max-Contention-Retries})
 */
public record QueryOptions(Duration timeout, long lastTxnTs, boolean linearized, Boolean typecheck,
                           Map<String, String> queryTags, int maxContentionRetries, boolean performanceHints) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    public QueryOptions {
        queryTags = Map.copyOf(queryTags);
    }

    public static QueryOptions defaults() {
        return new QueryOptions(DEFAULT_TIMEOUT, -1, false, null, Map.of(), 3, false);
    }
}
