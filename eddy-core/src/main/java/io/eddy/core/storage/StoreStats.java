package io.eddy.core.storage;

/**
 * Counters of the commit pipeline since the store was opened.
 *
 * @param committed transactions written (read-only commits are not counted)
 * @param conflicts transactions rejected with a conflict
 * @param batches synced writes (group commits); {@code batches < committed} shows grouping at work
 * @param maxBatch the most transactions one synced write carried
 */
public record StoreStats(long committed, long conflicts, long batches, long maxBatch) {
    public static final StoreStats EMPTY = new StoreStats(0, 0, 0, 0);
}
