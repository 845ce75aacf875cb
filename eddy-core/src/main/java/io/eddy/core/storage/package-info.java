/**
 * The storage engine: {@link io.eddy.core.storage.Store} (the database) and its RocksDB implementation.
 *
 * <p>Nouns: the <em>store</em> (one RocksDB with column families {@code default} (meta), {@code docs},
 * {@code index}, {@code schema}, {@code changelog}); the <em>committer</em> (the single thread that
 * validates, timestamps and group-writes transactions); a <em>batch</em> (one synced RocksDB write
 * carrying many transactions); <em>txn_ts</em> (a commit's strictly increasing microsecond time);
 * the <em>snapshot ts</em> (the txn_ts of the last transaction a snapshot contains, found through the
 * sequence-number map); <em>pins</em> (the oldest snapshots still in use, which bound conflict
 * bookkeeping); <em>retention</em> (removal of expired change-log history and TTL-expired documents);
 * the <em>schema version</em> (a counter the committer brackets schema writes with, under which
 * transactions share collection definitions, {@link io.eddy.core.storage.SchemaCache}); the <em>WAL
 * prefetcher</em> (a thread that reads the recycled write-ahead log's pages just ahead of RocksDB's writer,
 * so a synced write never waits to read a page the kernel dropped, {@code WalPrefetcher}).
 * The byte layouts are documented in ARCHITECTURE.md ("Storage format and commit pipeline").
 */
package io.eddy.core.storage;
