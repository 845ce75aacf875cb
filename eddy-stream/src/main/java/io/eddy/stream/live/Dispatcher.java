package io.eddy.stream.live;

import io.eddy.core.changelog.ChangeLog;
import io.eddy.core.changelog.ChangeRecord;
import io.eddy.core.changelog.CommittedTxn;
import io.eddy.core.changelog.LogPosition;
import io.eddy.core.schema.IndexDef;
import io.eddy.core.storage.Store;
import io.eddy.core.txn.Transaction;
import io.eddy.core.value.DocumentValue;
import io.eddy.fql.api.KeyAuthority;
import io.eddy.fql.auth.KeyRegistry;
import io.eddy.fql.interp.Cursors;
import io.eddy.fql.interp.ElementPipeline;
import io.eddy.fql.runtime.SetSource;
import io.eddy.stream.EventStreams;
import io.eddy.stream.StreamConfig;
import io.eddy.stream.derive.EventDeriver;
import io.eddy.stream.derive.NoReadsTransaction;
import io.eddy.stream.derive.StreamSource;
import io.eddy.stream.event.Event;
import io.eddy.stream.feed.LogScanner;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live path: receives every durable commit's change records from the store and routes each record
 * only to the subscriptions it can concern, then derives, encodes and queues the events.
 *
 * <p>Routing: subscriptions are grouped by token (subscribers of one token share one derivation and one
 * encoding per event), and groups are indexed by what they watch: a collection ({@code Coll.all()}),
 * a collection field and value for a filter that starts with an equality
 * ({@code Coll.where(.owner == "o1" && ...)}, see {@link io.eddy.stream.derive.LeadingEquality}), an
 * index and its term values ({@code Coll.byType("book")}, by a hash of the terms), or a document id
 * ({@code Set.single}). A record is looked up under its collection, its id, and the field and term
 * values of its versions before and after for each routed field and each index that has subscribers,
 * so a write's cost grows with the streams it matches, not with the streams open. (Filters without a
 * leading equality are routed by collection: each such stream evaluates its filter for every write.)
 *
 * <p>Threads: the commit thread appends each group commit to a bounded queue <em>before</em> its synced
 * write (never waits: if the queue is full, live subscribers overflow and resume from their cursors).
 * One dispatcher thread processes commits in order: it routes, derives and encodes a commit's events
 * while the write syncs ({@link CommitBatch}), with a transaction that refuses reads (a derivation that
 * reads is done again once the commit is visible). Nothing is released before the write is durable:
 * if the dispatcher finishes first, the commit thread releases the events itself as soon as its write
 * has returned, before it completes the commit's futures (so the events do not wait for the writers'
 * acknowledgements to be handed to their event loops), when that is cheap (at most
 * {@value #COMMIT_THREAD_MAX_OFFERS} subscription offers, no registration since the derivation, no key
 * revoked), and otherwise hands the batch back. The events of a commit then leave with one thread
 * hand-over fewer (commit thread → event loop). The dispatcher takes every durable group commit that is
 * waiting as one delivery batch ({@link DeliveryBatching}): the transport then writes each connection
 * once per batch, and the dispatcher wakes once per synced write rather than once per transaction.
 * Replay runs on virtual threads.
 *
 * <p>Schema changes: a commit that changes collection definitions names them
 * ({@code CommittedTxn.schemaChanges}); once it is visible, the groups on those collections are
 * resolved again, and those whose collection or index was deleted or replaced end with an
 * {@code invalid_request} error event ({@link #sourceChanged}) before the commit's events. Groups are
 * told apart by token and by the definitions their source was resolved against, and index routing is
 * by index id, so streams of one token opened before and after a change never share a derivation.
 *
 * <p>Registration and the live path: a subscription is registered, then reads the last committed ts
 * as its replay horizon; commits after the horizon reach it live. A batch derived before a
 * registration may lack the new subscription's group, so every registration bumps
 * {@code registryVersion} and a batch derived under an older version is derived again at release.
 * (Both sides use volatile fields: the registering thread writes the version and reads the last
 * committed ts, the releasing thread reads the version after that ts was written, so at least one of
 * them sees the other.)
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private record DocKey(String coll, String id) {}

    private static final Subscription[] NO_SUBSCRIPTIONS = {};

    /** At most this many group commits are delivered in one batch (bounds a batch's latency). */
    private static final int MAX_GROUPS_PER_BATCH = 64;

    /**
     * The commit thread releases a prepared batch itself only up to this many subscription offers
     * (a few microseconds each): the next group commit waits for them.
     */
    static final int COMMIT_THREAD_MAX_OFFERS = 64;

    /** Stands for a group commit that did not fit in the queue (its subscribers overflow). */
    private static final CommitBatch DROPPED = new CommitBatch(List.of());

    /** Subscribers of one token: they share one derivation and one encoding of each event. */
    static final class Group {
        final GroupKey key;
        final StreamSource source;
        /** Copy-on-write under the dispatcher's lock; read without it. */
        volatile Subscription[] subs = NO_SUBSCRIPTIONS;
        /** Dispatcher thread only: the last record this group was collected for (dedupes its keys). */
        long mark = -1;

        Group(GroupKey key, StreamSource source) {
            this.key = key;
            this.source = source;
        }
    }

    private final Store store;
    private final KeyAuthority keys;
    private final DeliveryBatching batching;
    private final Cursors cursors;
    private final StreamConfig config;
    private final Clock clock;
    private final EventEncoder encoder;
    /** Group commits waiting for the dispatcher thread (in flight or durable), in commit order. */
    private final BlockingQueue<CommitBatch> inbound;
    /** Commit thread only: the group commit announced by {@code preparing}, until its outcome. */
    private CommitBatch inFlight;
    /** Bumped by every registration (see the class comment). */
    private volatile long registryVersion;
    /** See {@link PipelineCounts}; each written by one thread. */
    private volatile long speculated, fellBack, rederived, releasedByCommitThread, lastTriedWhileSyncingTs, derivations;
    private final AtomicBoolean droppedCommits = new AtomicBoolean();
    // The registry: changed only under this object's lock, read without it (by the dispatcher and
    // heartbeat threads). Routing maps hold copy-on-write arrays: most keys have one group, and an
    // array of one costs a few bytes where a concurrent set costs hundreds. Every group is under
    // exactly one routing key, so the routing maps are also the registry of groups: a subscription
    // finds its token's group among the few under its routing key.
    private final Map<String, Group[]> byCollection = new ConcurrentHashMap<>();
    /** Collection sources with a leading field equality, by its field and value. */
    private final Map<FieldKey, Group[]> byField = new ConcurrentHashMap<>();
    /** Per collection, the fields that route groups in {@link #byField} (and how many groups each). */
    private final Map<String, Map<String, Integer>> fieldsInUse = new ConcurrentHashMap<>();
    private final Map<TermKey, Group[]> byTerms = new ConcurrentHashMap<>();
    private final Map<DocKey, Group[]> byDoc = new ConcurrentHashMap<>();
    /** Subscriptions opened with a key's secret, by key id: deleting the key ends them. */
    private final Map<String, Subscription[]> byAuthKey = new ConcurrentHashMap<>();
    private volatile int subscriptionCount;
    /** Dispatcher thread only: the candidate groups of the record being dispatched. */
    private final List<Group> candidates = new ArrayList<>();
    private long recordMark;
    /** Per collection, the indexes (by id) that have subscribers (and how many groups use each). */
    private final Map<String, Map<Integer, IndexUse>> indexesInUse = new ConcurrentHashMap<>();
    private final Thread thread;
    private final Executor replays;
    private final ScheduledExecutorService heartbeats;
    private final AutoCloseable listener;
    private volatile long processedTs;
    private volatile boolean closed;

    private static final class IndexUse {
        final IndexDef def;
        int groups;

        IndexUse(IndexDef def) { this.def = def; }
    }

    /** How often streams opened with a key are checked for the key's expiry ({@code ttl}). */
    static final long KEY_EXPIRY_CHECK_MILLIS = 1_000;

    /**
     * @param keys the database's keys: a stream opened with a key's secret ends with
     *     {@code permission_loss} when the key is deleted (seen in the change log) or expires
     *     (checked every {@value #KEY_EXPIRY_CHECK_MILLIS} ms)
     * @param batching brackets each commit's deliveries for the transport
     * @param replays runs each new stream's replay of its history (blocking work: reads the change log,
     *     waits for room in the stream's queue)
     */
    public Dispatcher(Store store, Cursors cursors, StreamConfig config, Clock clock, EventEncoder encoder,
                      KeyAuthority keys, DeliveryBatching batching, Executor replays) {
        this.replays = replays;
        this.keys = keys;
        this.batching = batching;
        this.store = store;
        this.cursors = cursors;
        this.config = config;
        this.clock = clock;
        this.encoder = encoder;
        this.inbound = new ArrayBlockingQueue<>(config.dispatchQueueCommits());
        this.processedTs = store.lastCommittedTs();
        this.thread = Thread.ofPlatform().name("eddy-dispatcher").daemon().start(this::run);
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("eddy-heartbeat").daemon().factory());
        long period = Math.max(10, config.heartbeatInterval().toMillis() / 4);
        heartbeats.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
        heartbeats.scheduleAtFixedRate(this::endExpiredKeys, KEY_EXPIRY_CHECK_MILLIS, KEY_EXPIRY_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
        this.listener = store.changeLog().addListener(new ChangeLog.CommitListener() {
            @Override public void preparing(List<CommittedTxn> group) { onPreparing(group); }
            @Override public void committed(List<CommittedTxn> group) { onCommitted(group); }
            @Override public void abandoned(List<CommittedTxn> group) { onAbandoned(group); }
        });
    }

    EventEncoder encoder() { return encoder; }

    /** Each subscription's queue bound. */
    int queueCapacity() { return config.subscriberQueueEvents(); }

    /** Number of open subscriptions. */
    public int subscriptionCount() { return subscriptionCount; }

    /** Every open subscription, at the moment of the call. */
    private List<Subscription> allSubscriptions() {
        List<Subscription> all = new ArrayList<>(subscriptionCount);
        forEachGroup(g -> all.addAll(List.of(g.subs)));
        return all;
    }

    private void forEachGroup(java.util.function.Consumer<Group> action) {
        for (Map<?, Group[]> routing : List.of(byCollection, byField, byTerms, byDoc)) {
            for (Group[] groups : routing.values()) {
                for (Group g : groups) action.accept(g);
            }
        }
    }

    /** Commit thread, before the synced write: the dispatcher starts on the group commit. */
    private void onPreparing(List<CommittedTxn> group) {
        CommitBatch b = new CommitBatch(group);
        if (inbound.offer(b)) {
            inFlight = b;
        } else {
            inFlight = DROPPED;
            droppedCommits.set(true);
        }
    }

    /** Commit thread, once the group commit is durable and visible: never blocks. */
    private void onCommitted(List<CommittedTxn> group) {
        CommitBatch b = inFlight;
        inFlight = null;
        if (b == DROPPED) return;
        if (b == null || b.group != group) { // this listener was added after the commit's preparing call
            handBack(CommitBatch.durable(group));
            return;
        }
        int before = b.mark(CommitBatch.DURABLE);
        if ((before & CommitBatch.PREPARED) != 0) {
            // Released before the commit's futures complete: completing them hands each writer's
            // response to its event loop, which a group of many transactions makes long, and the events
            // would wait for all of it (P2 in BENCHMARKS.md; the writers' acknowledgements did not slow).
            if (!releaseOnCommitThread(b)) handBack(b);
        } else if ((before & CommitBatch.FALLBACK) != 0) {
            handBack(b);
        } // else the dispatcher is still deriving: it will find the batch durable and release it
    }

    private static boolean cheapToRelease(CommitBatch.Prepared p) {
        return !p.revokes() && p.offers() <= COMMIT_THREAD_MAX_OFFERS;
    }

    /** Commit thread: the group commit's write failed; nothing of it may be released. */
    private void onAbandoned(List<CommittedTxn> group) {
        CommitBatch b = inFlight;
        inFlight = null;
        if (b != null && b != DROPPED) b.mark(CommitBatch.ABANDONED);
    }

    private void handBack(CommitBatch b) {
        if (!inbound.offer(b)) droppedCommits.set(true);
    }

    /**
     * Commit thread: delivers a prepared batch at once if that is cheap and its derivation is still
     * valid. Subscriptions wake their connections directly (no {@link DeliveryBatching}, which belongs
     * to the dispatcher thread).
     */
    private boolean releaseOnCommitThread(CommitBatch b) {
        CommitBatch.Prepared p = b.prepared;
        if (!cheapToRelease(p) || p.registryVersion() != registryVersion) return false;
        try {
            deliver(p, System.nanoTime());
        } catch (RuntimeException e) {
            dispatchFailed(b, e);
        }
        processedTs = b.lastTs();
        releasedByCommitThread++;
        return true;
    }

    private void run() {
        List<CommitBatch> batches = new ArrayList<>();
        while (!closed) {
            CommitBatch first;
            try {
                first = inbound.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (droppedCommits.getAndSet(false)) overflowEveryone();
            if (first == null) continue;
            // Whatever else has arrived meanwhile is delivered in the same batch: one write round per
            // connection for all of it.
            batches.clear();
            batches.add(first);
            inbound.drainTo(batches, MAX_GROUPS_PER_BATCH - 1);
            batching.begin();
            try {
                for (CommitBatch b : batches) {
                    try {
                        handle(b);
                    } catch (RuntimeException e) {
                        dispatchFailed(b, e);
                    }
                }
            } finally {
                batching.end();
            }
        }
    }

    /**
     * Some subscribers may have missed a commit's events; never let a later cursor skip them: end every
     * live stream, and each client resumes from its last cursor.
     */
    private void dispatchFailed(CommitBatch b, RuntimeException e) {
        log.error("dispatching commits from {} failed; ending live streams so they resume from their cursors",
                b.group.getFirst().txnTs(), e);
        for (Subscription s : allSubscriptions()) {
            s.fail(Event.error("internal_error", "Event dispatch failed; resume from the last cursor.", null, null));
        }
    }

    /** Dispatcher thread: a batch still in flight is derived now; a durable one is released. */
    private void handle(CommitBatch b) {
        int state = b.state();
        if ((state & CommitBatch.ABANDONED) != 0) return;
        if ((state & CommitBatch.DURABLE) == 0 && (state & (CommitBatch.PREPARED | CommitBatch.FALLBACK)) == 0) {
            b.prepared = derive(b.group, false);
            lastTriedWhileSyncingTs = b.lastTs();
            int before = b.mark(b.prepared != null ? CommitBatch.PREPARED : CommitBatch.FALLBACK);
            if (b.prepared != null) speculated++; else fellBack++;
            if ((before & CommitBatch.DURABLE) == 0) return; // the commit thread takes it from here
            if ((before & CommitBatch.ABANDONED) != 0) return;
        }
        CommitBatch.Prepared p = b.prepared;
        if (p == null || p.registryVersion() != registryVersion) {
            if (p != null) rederived++;
            p = derive(b.group, true);
        }
        deliver(p, System.nanoTime());
        processedTs = b.lastTs();
    }

    /**
     * Routes, derives and encodes a group commit's events. {@code visible}: the commit is durable and
     * visible, and derivations may read the store; otherwise they may not, and the first that tries makes
     * this return null.
     */
    private CommitBatch.Prepared derive(List<CommittedTxn> group, boolean visible) {
        long version = registryVersion; // before reading the registry
        if (subscriptionCount == 0) return new CommitBatch.Prepared(List.of(), version, 0, false);
        List<CommitBatch.Step> steps = new ArrayList<>();
        int offers = 0;
        boolean revokes = false;
        Set<Group> ended = null; // groups whose definitions a commit of this batch replaced
        long derived = 0;
        Transaction txn = null;
        ElementPipeline pipeline = null;
        try {
            for (CommittedTxn commit : group) {
                if (!commit.schemaChanges().isEmpty()) {
                    // Deciding whether a group's definitions are gone reads the schema, which the commit
                    // changes: that waits until the commit is visible.
                    if (!visible) return null;
                    if (txn == null) txn = store.begin();
                    for (Stale stale : staleGroups(commit.schemaChanges(), txn)) {
                        steps.add(new CommitBatch.Ending(stale.group(), sourceChanged(stale.why())));
                        offers += stale.group().subs.length;
                        if (ended == null) ended = Collections.newSetFromMap(new IdentityHashMap<>());
                        ended.add(stale.group());
                    }
                }
                for (ChangeRecord rec : commit.records()) {
                    if (!byAuthKey.isEmpty() && revokes(rec)) {
                        steps.add(new CommitBatch.Revocation(rec.id()));
                        revokes = true;
                    }
                    List<Group> candidates = candidates(rec);
                    if (candidates.isEmpty()) continue;
                    if (pipeline == null) {
                        if (txn == null) txn = visible ? store.begin() : NoReadsTransaction.INSTANCE;
                        pipeline = new ElementPipeline(txn, cursors, clock.instant(),
                                System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
                    }
                    for (Group g : candidates) {
                        if (ended != null && ended.contains(g)) continue;
                        derived++;
                        Event e = EventDeriver.derive(g.source, rec, pipeline);
                        if (e == null) continue;
                        steps.add(new CommitBatch.Delivery(g, e, encoder.encode(e)));
                        offers += g.subs.length;
                    }
                }
            }
        } catch (NoReadsTransaction.ReadAttempted e) {
            return null;
        } finally {
            if (txn != null) txn.close();
            derivations += derived; // (volatile: once per batch, not per derivation)
        }
        return new CommitBatch.Prepared(steps, version, offers, revokes);
    }

    /** Queues a derived batch's events to the subscriptions of their groups, in log order. */
    private void deliver(CommitBatch.Prepared p, long nowNanos) {
        for (CommitBatch.Step step : p.steps()) {
            switch (step) {
                case CommitBatch.Delivery d -> {
                    for (Subscription s : d.group().subs) s.offerLive(d.event(), d.bytes(), nowNanos);
                }
                case CommitBatch.Revocation r -> endAuthorizedBy(r.keyId());
                case CommitBatch.Ending e -> {
                    for (Subscription s : e.group().subs) s.fail(e.event());
                }
            }
        }
    }

    /**
     * How group commits went through the dispatcher since it started.
     *
     * @param speculated derived while their write was syncing
     * @param fellBack not derivable then (a derivation read the store): derived once durable
     * @param rederived derived while syncing, but a registration came before the release: derived again
     * @param releasedByCommitThread released by the commit thread as soon as the write returned
     * @param lastTriedWhileSyncingTs the last commit (ts) the dispatcher tried to derive while it synced
     * @param derivations events derived for subscription groups (one per candidate group and change
     *     record, whatever the group's size; a batch derived again counts again): what routing saves
     */
    public record PipelineCounts(long speculated, long fellBack, long rederived, long releasedByCommitThread,
                                 long lastTriedWhileSyncingTs, long derivations) {}

    public PipelineCounts pipelineCounts() {
        return new PipelineCounts(speculated, fellBack, rederived, releasedByCommitThread, lastTriedWhileSyncingTs,
                derivations);
    }

    /** Whether the record deletes a key or leaves it without a role: its secret no longer authenticates. */
    private static boolean revokes(ChangeRecord rec) {
        return rec.coll().equals(KeyRegistry.COLLECTION)
                && (rec.after() == null || KeyRegistry.roleOf(rec.after().data()) == null);
    }

    /** Ends the streams opened with the key's secret, at the position of the change that revoked it. */
    private void endAuthorizedBy(String keyId) {
        Subscription[] subs = byAuthKey.get(keyId);
        if (subs == null) return;
        for (Subscription s : subs) s.fail(permissionLoss());
    }

    /** On the heartbeat thread: ends the streams of keys that have expired since they were opened. */
    private void endExpiredKeys() {
        try {
            for (String keyId : byAuthKey.keySet()) {
                if (!keys.isLive(keyId)) endAuthorizedBy(keyId);
            }
        } catch (RuntimeException e) {
            log.error("checking stream keys failed", e);
        }
    }

    /** The terminal event of a stream whose secret stopped authenticating. */
    public static Event permissionLoss() {
        return Event.error("permission_loss", "Stream authentication is no longer valid.", null, null);
    }

    /** A group whose source's definitions a schema change replaced, and how. */
    private record Stale(Group group, String why) {}

    /**
     * The groups on the collections {@code changed} names whose definitions the schema {@code txn}
     * sees no longer holds (see {@link StreamSource#staleIn}). Schema changes are rare: every group is
     * looked at.
     */
    private List<Stale> staleGroups(Set<String> changed, Transaction txn) {
        List<Stale> stale = new ArrayList<>();
        forEachGroup(g -> {
            if (!changed.contains(g.source.coll())) return;
            String why = g.source.staleIn(txn);
            if (why != null) stale.add(new Stale(g, why));
        });
        return stale;
    }

    /**
     * The terminal event of a stream whose collection or index was deleted or replaced: the refusal a
     * new request with its token gets now, or that its source was replaced. The client resumes from its
     * last cursor, and the token is evaluated again against the schema of then.
     */
    public static Event sourceChanged(String why) {
        return Event.error("invalid_request", EventStreams.EVALUATION_FAILED + why, null, null);
    }

    /** The groups {@code rec} may concern, each once; valid until the next call. */
    private List<Group> candidates(ChangeRecord rec) {
        candidates.clear();
        long mark = ++recordMark;
        collect(byCollection.get(rec.coll()), mark);
        Map<String, Integer> fields = fieldsInUse.get(rec.coll());
        if (fields != null) {
            for (String field : fields.keySet()) {
                collectFieldGroups(rec.coll(), field, rec.before(), mark);
                collectFieldGroups(rec.coll(), field, rec.after(), mark);
            }
        }
        if (!byDoc.isEmpty()) collect(byDoc.get(new DocKey(rec.coll(), rec.id())), mark);
        Map<Integer, IndexUse> indexes = indexesInUse.get(rec.coll());
        if (indexes != null) {
            for (IndexUse use : indexes.values()) {
                collectTermGroups(rec.coll(), use.def, rec.before(), mark);
                collectTermGroups(rec.coll(), use.def, rec.after(), mark);
            }
        }
        return candidates;
    }

    private void collectTermGroups(String coll, IndexDef index, DocumentValue doc, long mark) {
        if (doc == null) return;
        collect(byTerms.get(TermKey.of(coll, index.indexId(), StreamSource.termsOf(index, doc))), mark);
    }

    private void collectFieldGroups(String coll, String field, DocumentValue doc, long mark) {
        if (doc == null) return;
        collect(byField.get(FieldKey.of(coll, field, StreamSource.fieldValue(doc, List.of(field)))), mark);
    }

    private void collect(Group[] found, long mark) {
        if (found == null) return;
        for (Group g : found) {
            if (g.mark != mark) {
                g.mark = mark;
                candidates.add(g);
            }
        }
    }

    /** Queues a subscription's first status event (its start position). */
    public void sendStart(Subscription sub) {
        sub.sendStart();
    }

    /**
     * Registers a subscription for live events, then replays its history on the replay executor, up to
     * the last commit at registration: every later commit reaches the subscription live (it is held
     * while the replay runs), so however long the replay waits to start, and however many commits
     * arrive meanwhile, it reads only what was written before the stream was registered. (Reading up
     * to the last commit when it starts instead made thousands of streams opened at once, each
     * replaying behind the others on two cores, each read every write made meanwhile.)
     */
    public void startReplay(Subscription sub, LogScanner scanner, Cursors unused) {
        sub.sendStart();
        register(sub);
        // After registration: a commit the dispatcher handled before it is at or before this ts.
        long horizon = store.lastCommittedTs();
        replays.execute(() -> replay(sub, scanner, horizon));
    }

    private void replay(Subscription sub, LogScanner scanner, long registeredAt) {
        LogPosition pos = sub.start();
        long replayed = 0;
        long horizon = registeredAt;
        try {
            while (!sub.isFinished()) {
                LogScanner.Result r;
                try (Transaction txn = store.begin()) {
                    ElementPipeline pipeline = new ElementPipeline(txn, cursors, clock.instant(),
                            System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
                    r = scanner.scan(sub.source(), pos, horizon, 256, pipeline, Long.MAX_VALUE);
                }
                for (Event e : r.events()) {
                    if (e.isError()) {
                        sub.fail(e);
                        return;
                    }
                    if (config.replayLimit() > 0 && replayed >= config.replayLimit()) {
                        sub.fail(Event.error("stream_replay_volume_exceeded",
                                "Too many events to replay. Recreate the stream and try again.", null, null));
                        return;
                    }
                    if (!sub.offerReplay(encoder.encode(e), e.position())) return;
                    replayed++;
                }
                pos = r.lastScanned();
                if (!r.more()) {
                    if (sub.goLive(pos)) return;
                    // The live events held meanwhile overflowed and were dropped: read them from the log.
                    horizon = store.lastCommittedTs();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("stream replay failed", e);
            sub.fail(Event.error("internal_error", "Stream replay failed; it has been logged.", null, null));
        }
    }

    private void register(Subscription sub) {
        synchronized (this) {
            if (sub.group != null || sub.isFinished()) return;
            Group g = null;
            Group[] routed = routed(sub.source());
            if (routed != null) {
                for (Group candidate : routed) {
                    // One token opened before and after its index was replaced: two groups.
                    if (candidate.key.equals(sub.groupKey()) && candidate.source.sameDefinitions(sub.source())) {
                        g = candidate;
                        break;
                    }
                }
            }
            if (g == null) {
                g = new Group(sub.groupKey(), sub.source());
                route(g, true);
            }
            g.subs = append(g.subs, sub);
            sub.group = g;
            if (sub.authKeyId() != null) {
                byAuthKey.merge(sub.authKeyId(), new Subscription[] {sub}, (old, one) -> append(old, sub));
            }
            subscriptionCount++;
            registryVersion++; // volatile: before the caller reads the last committed ts
        }
    }

    void unregister(Subscription sub) {
        synchronized (this) {
            Group g = sub.group;
            if (g == null) return;
            sub.group = null;
            g.subs = without(g.subs, sub);
            if (sub.authKeyId() != null) {
                byAuthKey.computeIfPresent(sub.authKeyId(), (k, old) -> {
                    Subscription[] rest = without(old, sub);
                    return rest.length == 0 ? null : rest;
                });
            }
            subscriptionCount--;
            if (g.subs.length == 0) {
                route(g, false);
            }
        }
    }

    /** The groups under the routing key of {@code src}, or null. */
    private Group[] routed(StreamSource src) {
        return switch (src.def().set().source()) {
            case SetSource.CollectionScan c -> src.leadingEquality() == null ? byCollection.get(src.coll())
                    : byField.get(FieldKey.of(src.coll(), src.leadingEquality().field(), src.leadingEquality().value()));
            case SetSource.Single s -> byDoc.get(new DocKey(src.coll(), src.singleId()));
            case SetSource.IndexRange r -> byTerms.get(TermKey.of(src.coll(), src.index().indexId(), r.terms()));
            default -> throw new IllegalArgumentException("not streamable: " + src.def().set().source());
        };
    }

    private void route(Group g, boolean add) {
        StreamSource src = g.source;
        switch (src.def().set().source()) {
            case SetSource.CollectionScan c -> {
                if (src.leadingEquality() == null) {
                    update(byCollection, src.coll(), g, add);
                } else {
                    String field = src.leadingEquality().field();
                    update(byField, FieldKey.of(src.coll(), field, src.leadingEquality().value()), g, add);
                    Map<String, Integer> fields = fieldsInUse.computeIfAbsent(src.coll(), k -> new ConcurrentHashMap<>());
                    int groups = fields.getOrDefault(field, 0) + (add ? 1 : -1);
                    if (groups > 0) fields.put(field, groups); else fields.remove(field);
                    if (fields.isEmpty()) fieldsInUse.remove(src.coll());
                }
            }
            case SetSource.Single s -> update(byDoc, new DocKey(src.coll(), src.singleId()), g, add);
            case SetSource.IndexRange r -> {
                int indexId = src.index().indexId();
                update(byTerms, TermKey.of(src.coll(), indexId, r.terms()), g, add);
                // By id: streams on an index replaced under the same name are routed by their own definitions.
                Map<Integer, IndexUse> uses = indexesInUse.computeIfAbsent(src.coll(), k -> new ConcurrentHashMap<>());
                IndexUse use = uses.computeIfAbsent(indexId, k -> new IndexUse(src.index()));
                use.groups += add ? 1 : -1;
                if (use.groups <= 0) uses.remove(indexId);
                if (uses.isEmpty()) indexesInUse.remove(src.coll());
            }
            default -> throw new IllegalArgumentException("not streamable: " + src.def().set().source());
        }
    }

    private static <K> void update(Map<K, Group[]> map, K key, Group g, boolean add) {
        if (add) {
            map.merge(key, new Group[] {g}, (old, one) -> append(old, g));
        } else {
            map.computeIfPresent(key, (k, old) -> {
                Group[] rest = without(old, g);
                return rest.length == 0 ? null : rest;
            });
        }
    }

    private static <T> T[] append(T[] array, T element) {
        T[] out = Arrays.copyOf(array, array.length + 1);
        out[array.length] = element;
        return out;
    }

    private static <T> T[] without(T[] array, T element) {
        for (int i = 0; i < array.length; i++) {
            if (array[i] == element) {
                T[] out = Arrays.copyOf(array, array.length - 1);
                System.arraycopy(array, i + 1, out, i, array.length - i - 1);
                return out;
            }
        }
        return array;
    }

    private void overflowEveryone() {
        log.warn("dispatch queue full: live subscribers overflow and must resume from their cursors");
        for (Subscription s : allSubscriptions()) {
            s.fail(Event.error("stream_overflow", "Too many events to process.", null, null));
        }
    }

    private void heartbeat() {
        try {
            long now = System.nanoTime();
            long interval = config.heartbeatInterval().toNanos();
            LogPosition processed = LogPosition.endOf(processedTs);
            forEachGroup(g -> {
                for (Subscription s : g.subs) s.heartbeat(now, interval, processed);
            });
        } catch (RuntimeException e) {
            log.error("heartbeat failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        PipelineCounts c = pipelineCounts();
        log.info("live path: {} group commits derived while their write synced ({} released by the commit thread, {} derived again), {} derived once durable",
                c.speculated(), c.releasedByCommitThread(), c.rederived(), c.fellBack());
        try {
            listener.close();
        } catch (Exception e) {
            log.warn("removing the change-log listener failed", e);
        }
        heartbeats.shutdownNow();
        thread.interrupt();
        for (Subscription s : allSubscriptions()) s.close();
    }
}
