package io.eddy.bench.workload;

import java.util.concurrent.CompletableFuture;

/** Somewhere documents are written: Eddy, a PostgreSQL table, or a Redis channel. */
public interface WriteTarget {
    /**
     * Starts writing {@code doc} without blocking the caller; the future completes when the write is
     * acknowledged (for Eddy and PostgreSQL: durably committed).
     */
    CompletableFuture<?> write(Doc doc);
}
