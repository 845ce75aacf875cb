package io.eddy.core.storage;

import io.eddy.core.changelog.ChangeLog;
import io.eddy.core.txn.Transaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.random.RandomGenerator;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.LRUCache;
import org.rocksdb.Priority;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RocksDB implementation of {@link Store}.
 *
 * <p><b>Snapshot-ts invariant.</b> The {@link Committer} thread is the only writer (transactions,
 * retention deletes, TTL purges all go through it). Before writing a batch that commits transactions
 * it puts {@code (sequence number the batch ends at -> ts of its last transaction)} into
 * {@link #seqToTs}; a batch is atomic, so a RocksDB snapshot with sequence number {@code s} contains
 * exactly the transactions with {@code ts <= seqToTs.tsAtOrBefore(s)}. Batches without
 * transactions (retention) add no entry; the floor lookup skips them. Entries are removed only when
 * their ts is below every pinned snapshot (see {@link #pruneHorizon()}), keeping the latest.
 *
 * <p><b>Pins.</b> A transaction pins {@link #lastCommittedTs} (a lower bound of its snapshot ts) from
 * before it takes its snapshot until it is closed, and a queued commit pins its snapshot ts until it
 * has been validated. Conflict bookkeeping and {@link #seqToTs} keep everything at or above the
 * smallest pin.
 *
 * <p><b>Lifecycle.</b> Every operation touching native objects holds {@link #lifecycle}'s read lock;
 * {@link #close()} takes the write lock after the committer has drained, so no read can race with the
 * database closing.
 */
final class RocksStore implements Store {
    private static final Logger log = LoggerFactory.getLogger(RocksStore.class);
    static final String CF_DOCS = "docs", CF_INDEX = "index", CF_SCHEMA = "schema", CF_LOG = "changelog",
            CF_EXPIRY = "expiry", CF_LOG_BY_COLL = "changelog_by_coll";
    private static final long RETENTION_PERIOD_SECONDS = 60;

    static {
        RocksDB.loadLibrary();
    }

    final StoreConfig config;
    final RocksDB db;
    final ColumnFamilyHandle cfMeta, cfDocs, cfIndex, cfSchema, cfLog, cfExpiry, cfLogByColl;
    final WriteOptions syncWrite;
    final SequenceTimestamps seqToTs = new SequenceTimestamps();
    final AtomicLong nextCollId;
    final AtomicInteger nextIndexId;
    final IdGenerator ids;
    final RocksChangeLog changeLog;
    final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /**
     * Decoded schema entries by collection name, with the stored bytes they were decoded from. A
     * transaction still reads the entry at its own snapshot and uses the decoded form only if the
     * bytes are the same, so the cache can never show a transaction another snapshot's schema; it
     * only saves decoding (most of a small query's schema cost) when the schema has not changed.
     */
    final Map<String, DecodedSchema> decodedSchemas = new ConcurrentHashMap<>();
    /** Collection definitions by schema version, shared by transactions (see {@link SchemaCache}). */
    final SchemaCache schemaCache = new SchemaCache();

    record DecodedSchema(byte[] stored, io.eddy.core.schema.CollectionDef def) {}
    volatile long lastCommittedTs;
    volatile long retainedFromTs;
    /**
     * Per collection name, the horizon of a collection retained for less than the longest-lived one
     * (its records before it are gone); absent: {@link #retainedFromTs}. Written by retention only.
     */
    final java.util.concurrent.ConcurrentHashMap<String, Long> retainedFromByColl = new java.util.concurrent.ConcurrentHashMap<>();
    volatile boolean closed;

    private final List<AutoCloseable> natives; // closed in reverse order
    /** Every column family, in the order opened. */
    final List<ColumnFamilyHandle> handles;
    private final Map<Object, Long> pins = new ConcurrentHashMap<>();
    private final java.util.Set<RocksTransaction> openTxns = ConcurrentHashMap.newKeySet();
    private final Committer committer;
    private final Retention retention;
    private final ScheduledExecutorService scheduler;
    private final WalPrefetcher walPrefetcher; // null when off or without /proc
    private final Object closeLock = new Object();

    static Store open(StoreConfig config) {
        return open(config, new SplittableRandom(new SecureRandom().nextLong()));
    }

    /** Opens with an explicit source of randomness (document id bits), for reproducible tests. */
    static RocksStore open(StoreConfig config, RandomGenerator random) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (IOException e) {
            throw new StorageException("cannot create " + config.dataDir(), e);
        }
        List<AutoCloseable> natives = new ArrayList<>();
        try {
            return new RocksStore(config, random, natives);
        } catch (RuntimeException | RocksDBException e) {
            closeAll(natives);
            if (e instanceof RuntimeException re) throw re;
            throw new StorageException("cannot open the store in " + config.dataDir() + ": " + e.getMessage(), e);
        }
    }

    /** Obsolete write-ahead-log files kept for reuse (see the options below). */
    static final int RECYCLED_WAL_FILES = 4;

    private RocksStore(StoreConfig config, RandomGenerator random, List<AutoCloseable> natives) throws RocksDBException {
        this.config = config;
        this.natives = natives;
        LRUCache cache = add(natives, new LRUCache(64L << 20));
        BloomFilter bloom = add(natives, new BloomFilter(10));
        // Every family keeps RocksDB's default write buffer (64 MiB), the small ones too: all flush together
        // (below), so the first to fill decides when all flush. With 4 MiB for the metadata family, the last
        // commit time, rewritten by every group commit, filled it first, and every family flushed small
        // files every ~19 s at 5,000 commits/s instead of every ~29 s (each flush switches the log file and
        // costs the commit path a slow synced write; see BENCHMARKS.md, P2). The log's size bounds what the
        // write buffers hold in all (max_total_wal_size below).
        // Point lookups (documents, schema) benefit from bloom filters; scanned families do not.
        ColumnFamilyOptions pointOpts = add(natives, new ColumnFamilyOptions()
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom)));
        ColumnFamilyOptions scanOpts = add(natives, new ColumnFamilyOptions()
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache)));
        // The change log is written once and read in long sequential runs (replay, feeds): larger blocks
        // and LZ4, whose decompression is several times cheaper than the default Snappy's.
        ColumnFamilyOptions logOpts = add(natives, new ColumnFamilyOptions()
                .setCompressionType(org.rocksdb.CompressionType.LZ4_COMPRESSION)
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setBlockSize(16 * 1024)));
        DBOptions dbOpts = add(natives, new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2).setKeepLogFileNum(5).setMaxTotalWalSize(256L << 20)
                // Reuse obsolete WAL files: a synced append then overwrites allocated blocks, and
                // fdatasync need not also write the inode (the file's size does not change). RocksDB
                // >= 9.1 recovers point-in-time from recycled files. A write into a page the kernel has
                // dropped from its cache reads it first: WalPrefetcher reads ahead of the writer.
                .setRecycleLogFileNum(RECYCLED_WAL_FILES)
                // Flush every column family together. Not for consistency (the WAL gives that), but so
                // that recycling works: a WAL file is freed only once every family with data in it has
                // flushed, and each family's own flush starts a new one. Flushed one by one, the small
                // families (the last commit time is rewritten by every commit) cut the log into files
                // of 0-6 MB and the large ones kept the old files alive, so most synced writes appended
                // to a fresh file: fdatasync then also writes the file's changed size (its inode, or a
                // journal commit). In a throwaway loop on this machine's disk: write p50 203-211 us and
                // p99 388-405 us against 142-145 and 285-313 us with all families flushed together (see
                // BENCHMARKS.md).
                .setAtomicFlush(true));
        // Flushes and compactions run at the lowest CPU priority (nice 19; the threads apply it themselves).
        // They are throughput work with their own backpressure (RocksDB slows writes when they fall behind),
        // while the committer, the dispatcher and the event loops carry each commit's latency: on a busy
        // machine a flush or compaction competing with them at equal priority held events back for as long
        // as it ran (P2 on 2 cores: the 1-1.3 s a flush and its compactions take held 45-60% of the events
        // later than 1 ms; at nice 19, 40% fewer per second of it; see BENCHMARKS.md). The default Env is
        // the process's, so this applies to every store the process opens, which is what a server wants.
        // Should a flush fall behind (a full write buffer waiting while the next fills), RocksDB stalls the
        // writes, which frees the CPU the flush needs: the commit path waits then, it does not lose data.
        Env.getDefault().lowerThreadPoolCPUPriority(Priority.LOW);
        Env.getDefault().lowerThreadPoolCPUPriority(Priority.HIGH);
        List<ColumnFamilyDescriptor> cfs = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, pointOpts),
                new ColumnFamilyDescriptor(CF_DOCS.getBytes(StandardCharsets.US_ASCII), pointOpts),
                new ColumnFamilyDescriptor(CF_INDEX.getBytes(StandardCharsets.US_ASCII), scanOpts),
                new ColumnFamilyDescriptor(CF_SCHEMA.getBytes(StandardCharsets.US_ASCII), pointOpts),
                new ColumnFamilyDescriptor(CF_LOG.getBytes(StandardCharsets.US_ASCII), logOpts),
                new ColumnFamilyDescriptor(CF_EXPIRY.getBytes(StandardCharsets.US_ASCII), pointOpts),
                new ColumnFamilyDescriptor(CF_LOG_BY_COLL.getBytes(StandardCharsets.US_ASCII), scanOpts));
        List<ColumnFamilyHandle> hs = new ArrayList<>();
        this.db = RocksDB.open(dbOpts, config.dataDir().toString(), cfs, hs);
        natives.add(db);
        natives.addAll(hs); // handles close before the db (reverse order)
        this.handles = hs;
        cfMeta = hs.get(0);
        cfDocs = hs.get(1);
        cfIndex = hs.get(2);
        cfSchema = hs.get(3);
        cfLog = hs.get(4);
        cfExpiry = hs.get(5);
        cfLogByColl = hs.get(6);
        syncWrite = add(natives, new WriteOptions().setSync(true));

        long format = Keys.longOf(db.get(cfMeta, Keys.META_FORMAT), -1);
        if (format == 1) {
            Retention.buildExpiryIndex(this);
            format = 2;
            db.put(cfMeta, syncWrite, Keys.META_FORMAT, Keys.longBytes(format));
        }
        if (format == 2) {
            RocksChangeLog.buildCollectionIndex(this);
            format = 3;
            db.put(cfMeta, syncWrite, Keys.META_FORMAT, Keys.longBytes(format));
        }
        if (format == -1) db.put(cfMeta, syncWrite, Keys.META_FORMAT, Keys.longBytes(Keys.FORMAT_VERSION));
        else if (format != Keys.FORMAT_VERSION) throw new StorageException("unsupported store format " + format, null);
        lastCommittedTs = Keys.longOf(db.get(cfMeta, Keys.META_LAST_TS), 0);
        retainedFromTs = Keys.longOf(db.get(cfMeta, Keys.META_RETAINED_FROM), 0);
        try (org.rocksdb.RocksIterator it = db.newIterator(cfMeta)) {
            for (it.seek(Keys.META_RETAINED_FROM_COLL); it.isValid(); it.next()) {
                byte[] k = it.key();
                int n = Keys.META_RETAINED_FROM_COLL.length;
                if (k.length < n || !java.util.Arrays.equals(k, 0, n, Keys.META_RETAINED_FROM_COLL, 0, n)) break;
                retainedFromByColl.put(Keys.collOfLogCollPrefix(java.util.Arrays.copyOfRange(k, n, k.length)),
                        Keys.longOf(it.value(), 0));
            }
            it.status();
        }
        nextCollId = new AtomicLong(Keys.longOf(db.get(cfMeta, Keys.META_NEXT_COLL_ID), 1));
        nextIndexId = new AtomicInteger((int) Keys.longOf(db.get(cfMeta, Keys.META_NEXT_INDEX_ID), 1));
        seqToTs.put(db.getLatestSequenceNumber(), lastCommittedTs);
        ids = new IdGenerator(config.clock(), random);
        changeLog = new RocksChangeLog(this);
        committer = new Committer(this, lastCommittedTs);
        committer.start();
        retention = new Retention(this);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "eddy-retention");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(retention::runSafely, RETENTION_PERIOD_SECONDS, RETENTION_PERIOD_SECONDS,
                TimeUnit.SECONDS);
        walPrefetcher = WalPrefetcher.start(config.dataDir(), config.walPrefetchBytes());
        log.info("opened store {} at ts {}", config.dataDir(), lastCommittedTs);
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> natives, T t) {
        natives.add(t);
        return t;
    }

    private static void closeAll(List<AutoCloseable> natives) {
        List<AutoCloseable> reversed = new ArrayList<>(natives);
        Collections.reverse(reversed);
        for (AutoCloseable c : reversed) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing {} failed", c, e);
            }
        }
    }

    ColumnFamilyHandle handle(TxnWrites.Cf cf) {
        return switch (cf) {
            case DOCS -> cfDocs;
            case INDEX -> cfIndex;
            case SCHEMA -> cfSchema;
            case EXPIRY -> cfExpiry;
        };
    }

    @Override
    public Transaction begin() {
        lifecycle.readLock().lock();
        try {
            if (closed) throw new IllegalStateException("The store is closed.");
            Object pin = new Object();
            pins.put(pin, lastCommittedTs); // before the snapshot: lastCommittedTs <= its ts
            long schemaBefore = schemaCache.version();
            Snapshot snapshot = db.getSnapshot();
            long schemaVersion = SchemaCache.stable(schemaBefore, schemaCache.version());
            long ts = seqToTs.tsAtOrBefore(snapshot.getSequenceNumber());
            Instant now = config.clock().instant();
            RocksTransaction t = new RocksTransaction(this, snapshot, ts, now, pin, schemaVersion);
            openTxns.add(t);
            return t;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public CompletableFuture<Long> commit(Transaction txn) {
        if (!(txn instanceof RocksTransaction t) || t.store != this)
            throw new IllegalArgumentException("not a transaction of this store");
        if (closed) return CompletableFuture.failedFuture(new IllegalStateException("The store is closed."));
        TxnWrites writes;
        try {
            writes = t.prepareCommit();
        } catch (IllegalStateException e) {
            if (closed) return CompletableFuture.failedFuture(new IllegalStateException("The store is closed."));
            throw e;
        }
        if (writes.isEmpty()) return CompletableFuture.completedFuture(t.snapshotTs());
        Object pin = new Object();
        pins.put(pin, t.snapshotTs());
        CompletableFuture<Long> f = new CompletableFuture<>();
        CompletableFuture<Long> r = committer.submit(new Committer.CommitWork(writes, t.reads, t.snapshotTs(), pin, f), f);
        if (r != f) unpin(pin);
        return r;
    }

    /** Queues a non-transactional write (retention) behind the commits already queued. */
    CompletableFuture<Void> submitMaintenance(Committer.BatchWriter writer, Runnable afterWrite) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        return committer.submit(new Committer.MaintenanceWork(writer, afterWrite, f), f);
    }

    @Override
    public long lastCommittedTs() {
        return lastCommittedTs;
    }

    @Override
    public ChangeLog changeLog() {
        return changeLog;
    }

    @Override
    public StoreStats stats() {
        return committer.stats();
    }

    Retention retention() {
        return retention;
    }

    void unpin(Object pin) {
        pins.remove(pin);
    }

    void closed(RocksTransaction t) {
        openTxns.remove(t);
        unpin(t.pin);
    }

    /** The oldest ts any open transaction or queued commit may still read at. */
    long pruneHorizon() {
        long h = lastCommittedTs;
        for (Long p : pins.values()) h = Math.min(h, p);
        return h;
    }

    /** Drops entries below the horizon, keeping the latest one at or below it. */
    void pruneSeqMap(long horizon) {
        seqToTs.pruneBelow(horizon);
    }

    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) return;
            scheduler.shutdownNow();
            try {
                if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) log.warn("retention task did not stop");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            committer.stop(); // finishes every commit queued before
            if (walPrefetcher != null) walPrefetcher.close();
            lifecycle.writeLock().lock();
            try {
                closed = true;
                for (RocksTransaction t : List.copyOf(openTxns)) t.releaseNatives();
                openTxns.clear();
                closeAll(natives);
            } finally {
                lifecycle.writeLock().unlock();
            }
            StoreStats stats = committer.stats();
            log.info("closed store {} at ts {}: {} transactions committed in {} synced writes (at most {} in one), {} conflicts",
                    config.dataDir(), lastCommittedTs, stats.committed(), stats.batches(), stats.maxBatch(), stats.conflicts());
        }
    }
}
