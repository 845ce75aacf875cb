package io.eddy.bench.scenario;

import io.eddy.bench.BenchConfig;
import io.eddy.bench.client.StreamPool;
import io.eddy.bench.peer.Await;
import io.eddy.bench.peer.PgLogicalPeer;
import io.eddy.bench.peer.PgTable;
import io.eddy.bench.peer.PgWriter;
import io.eddy.bench.peer.RowRouting;
import io.eddy.bench.workload.Filter;
import io.eddy.bench.workload.Latency;
import io.eddy.bench.workload.OpenLoop;
import io.eddy.bench.workload.WriteTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Beyond the figure table: delivery latency for the other filters of W(N, M, F), F2 broadcast, F3 a
 * non-indexable predicate ({@code .score % M == i}: every stream's predicate is evaluated for every write),
 * F4 point streams and F5 a field-level filter ({@code changesOn}), each with M subscribers under open-loop
 * writes (F2's write rate is capped so it offers at most 100,000 events/s), on Eddy and then, when the peers
 * run, on PostgreSQL with logical decoding: the {@code LogicalRouter} evaluating the same filter on every
 * decoded row ({@link RowRouting}), its subscribers on loopback sockets, 32 JDBC writer connections.
 * F4 and F5 update M pre-created documents (rows); F5's writers change {@code status} every other round,
 * and only those writes must be delivered (PostgreSQL's table has {@code REPLICA IDENTITY FULL} so that the
 * router sees the old status).
 *
 * <p>The figures, {@code w_f<k>_delivery_p99_ms} (Eddy) and {@code w_f<k>_delivery_p99_ms_postgres_logical},
 * are commit-to-delivery p99, defined as P2's are ({@link DeliveryScenario}): event arrival on this
 * machine's wall clock minus the database's own commit timestamp, Eddy's {@code txn_ts} in the event (taken
 * when the group commit is formed, before its synced write), PostgreSQL's commit time from the
 * logical-decoding {@code Begin} message, which the router adds to each row as {@code commit_us} (taken
 * before the commit's WAL flush). Send-to-delivery (arrival minus the write's intended send time, which adds
 * the write's own path) is in the details beside it. Each side runs a warm-up (a quarter of the run, 0.5 to
 * 2.5 s, not recorded) first. Details also hold delivered vs expected events.
 */
public final class FilterScenario implements Scenario {
    private static final int PG_WRITER_CONNECTIONS = 32;
    /** F2 offers at most this many events/s: its write rate is this over M. */
    private static final int F2_MAX_EVENTS_PER_S = 100_000;

    @Override public String name() { return "extra"; }

    @Override public String title() { return "W(N, M, F) commit->delivery latency for F2-F5 on Eddy and the logical-decoding peer"; }

    @Override
    public void run(BenchContext ctx, Results results) throws Exception {
        BenchConfig.Extra p = ctx.config().extra();
        double warmup = warmupSeconds(p.seconds());
        Map<String, Object> d = results.details(name());
        d.put("streams", p.streams());
        d.put("writes_per_s", p.writesPerSecond());
        d.put("seconds", p.seconds());
        d.put("warmup_s", warmup);
        for (Filter f : List.of(Filter.F2, Filter.F3, Filter.F4, Filter.F5)) {
            String key = "w_" + f.name().toLowerCase(Locale.ROOT) + "_delivery_p99_ms";
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("filter", f.label());
            r.put("writes_per_s", rate(f, p));
            d.put(f.name(), r);
            side(ctx, results, r, f, "eddy", key, () -> onEddy(ctx, p, f, warmup));
            if (ctx.hasPostgres()) {
                side(ctx, results, r, f, "postgres_logical", key + "_postgres_logical", () -> onLogical(ctx, p, f, warmup));
            }
        }
    }

    /** A quarter of the run, between 0.5 and 2.5 s. */
    static double warmupSeconds(double seconds) {
        return Math.min(2.5, Math.max(0.5, seconds / 4.0));
    }

    /** The write rate of filter {@code f}: F2's capped so that it offers at most 100,000 events/s. */
    static int rate(Filter f, BenchConfig.Extra p) {
        return f == Filter.F2 ? Math.max(1, Math.min(p.writesPerSecond(), F2_MAX_EVENTS_PER_S / p.streams())) : p.writesPerSecond();
    }

    private interface Side {
        Map<String, Object> run() throws Exception;
    }

    /** Settles the machine, runs one side, records its details under {@code name} and its figure; a failure is a note. */
    private static void side(BenchContext ctx, Results results, Map<String, Object> r, Filter f, String name, String key, Side side) {
        try {
            double settled = ctx.settle(5);
            long t0 = System.nanoTime();
            Map<String, Object> s = side.run();
            s.put("settle_s", settled);
            s.put("side_wall_s", Phase.round((System.nanoTime() - t0) / 1e9));
            r.put(name, s);
            results.figure(key, (double) s.get("p99_ms"));
        } catch (Exception e) {
            r.put(name, Map.of("failed", e.toString()));
            results.note("extra " + f.name() + " on " + name + " failed: " + e);
        }
    }

    private static Map<String, Object> onEddy(BenchContext ctx, BenchConfig.Extra p, Filter f, double warmup) throws Exception {
        int m = p.streams();
        String coll = "W" + f.name() + "Doc";
        ctx.createCollection(coll, f == Filter.F5);
        String[] ids = f.updates() ? precreate(ctx, coll, m) : null;
        List<String> sources = new ArrayList<>(m);
        for (int i = 0; i < m; i++) sources.add(f.source(coll, i, m, ids));
        try (StreamPool pool = ctx.streamPool()) {
            pool.open(ctx.client().tokens(sources, 500), 120);
            Map<String, Object> r = measure(ctx, ctx.client().writer(coll, ctx.payload()), f, m, ids, rate(f, p), warmup,
                    p.seconds(), (fromSend, fromCommit) -> {
                        pool.latency(fromSend);
                        pool.commitLatency(fromCommit);
                    }, pool::events);
            r.put("stream_errors", pool.errors());
            r.put("stream_connections", pool.connections());
            if (!pool.errorSamples().isEmpty()) r.put("error_samples", pool.errorSamples());
            return r;
        }
    }

    private static Map<String, Object> onLogical(BenchContext ctx, BenchConfig.Extra p, Filter f, double warmup) throws Exception {
        int m = p.streams();
        String table = "w_" + f.name().toLowerCase(Locale.ROOT) + "_logical";
        PgTable.create(ctx.pg(), table);
        if (f == Filter.F5) PgTable.keepOldRows(ctx.pg(), table);
        // before the router's slot exists, so these inserts are not decoded
        String[] ids = f.updates() ? PgTable.precreate(ctx.pg(), table, m, ctx.payload()) : null;
        int sockets = WriteTaxScenario.listenerGroups(ctx, m);
        try (PgLogicalPeer logical = new PgLogicalPeer(ctx.pg(), table, RowRouting.of(f, m, ids), sockets);
             PgWriter w = new PgWriter(ctx.pg(), table, PG_WRITER_CONNECTIONS, ctx.payload())) {
            Map<String, Object> r = measure(ctx, w, f, m, ids, rate(f, p), warmup, p.seconds(), (fromSend, fromCommit) -> {
                logical.latency(fromSend);
                logical.commitLatency(fromCommit);
            }, logical::delivered);
            r.put("subscriber_sockets", sockets);
            r.put("writer_connections", PG_WRITER_CONNECTIONS);
            if (logical.routerFailure() != null) throw new IllegalStateException("the router failed: " + logical.routerFailure());
            return r;
        }
    }

    /**
     * Warm-up then measured open-loop run of filter {@code f}'s writes against {@code target};
     * {@code setLatency} points the subscribers at fresh histograms (from the send, from the commit);
     * {@code delivered} counts events. The measured writes continue the warm-up's numbering from a
     * multiple of 2M, so that F3's and F5's rounds keep their parity and F5's statuses stay new (a status
     * written again would be no change, and not delivered). The result's top level is commit-to-delivery;
     * {@code send_to_delivery} is beside it.
     */
    private static Map<String, Object> measure(BenchContext ctx, WriteTarget target, Filter f, int m, String[] ids, int rate,
                                               double warmup, double seconds, BiConsumer<Latency, Latency> setLatency,
                                               LongSupplier delivered) throws Exception {
        long t0 = System.nanoTime();
        setLatency.accept(new Latency(), new Latency());
        long warmStart = delivered.getAsLong();
        OpenLoop.Result warm = OpenLoop.run(target, rate, warmup, 50_000, (n, t) -> f.doc(n, m, t, ids));
        Await.count(delivered, warmStart + expected(f, m, 0, warm), 10);
        Thread.sleep(200);
        long round = 2L * m;
        long base = (long) Math.ceil(Math.ceil(rate * warmup) / round) * round;
        double warmWall = Phase.round((System.nanoTime() - t0) / 1e9);
        Latency fromSend = new Latency();
        Latency fromCommit = new Latency();
        setLatency.accept(fromSend, fromCommit);
        long before = delivered.getAsLong();
        Phase ph = Phase.start(ctx);
        OpenLoop.Result w = OpenLoop.run(target, rate, seconds, 50_000, (n, t) -> f.doc(base + n, m, t, ids));
        long expected = expected(f, m, base, w);
        Await.count(delivered, before + expected, 30);
        Thread.sleep(500); // any extra (wrongly delivered) events
        Map<String, Object> phase = ph.end();
        Map<String, Object> r = new LinkedHashMap<>(Latency.summary(fromCommit.snapshot()));
        r.put("send_to_delivery", Latency.summary(fromSend.snapshot()));
        w.putCounts(r);
        r.put("events_expected", expected);
        r.put("events_delivered", delivered.getAsLong() - before);
        r.put("write_ack_latency", Latency.summary(w.ack().snapshot()));
        r.put("warmup_wall_s", warmWall);
        r.putAll(phase);
        return r;
    }

    /**
     * The events the writes of {@code w}, numbered from {@code first}, should deliver: exact when every write
     * was acknowledged, else in proportion to those that were (which ones failed or were shed is not known).
     */
    private static long expected(Filter f, int m, long first, OpenLoop.Result w) {
        long scheduled = w.sent() + w.shed();
        long all = f.deliveries(first, first + scheduled, m);
        return w.acked() == scheduled ? all : Math.round((double) all * w.acked() / Math.max(1, scheduled));
    }

    /** Creates one document per owner o0..o<m-1>; returns their ids. */
    private static String[] precreate(BenchContext ctx, String coll, int m) throws Exception {
        String[] ids = new String[m];
        for (int from = 0; from < m; from += 500) {
            int n = Math.min(500, m - from);
            var data = ctx.client().query("Set.sequence(" + from + ", " + (from + n) + ").map(i => " + coll
                    + ".create({owner: \"o\" + i.toString(), status: \"init\", score: 0, payload: \"" + ctx.payload()
                    + "\", sent_ns: 0})).toArray().map(d => d.id)").get("data");
            for (int i = 0; i < n; i++) ids[from + i] = data.get(i).asText();
        }
        return ids;
    }
}
