package io.eddy.bench.scenario;

import io.eddy.bench.BenchConfig;
import io.eddy.bench.client.StreamPool;
import io.eddy.bench.peer.PgLogicalPeer;
import io.eddy.bench.peer.PgNotifyPeer;
import io.eddy.bench.peer.PgTable;
import io.eddy.bench.peer.PgWriter;
import io.eddy.bench.workload.Filter;
import io.eddy.bench.workload.LateEvents;
import io.eddy.bench.workload.Latency;
import io.eddy.bench.workload.OpenLoop;
import io.eddy.bench.workload.WriteTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * P2, commit-to-delivery latency with M live F1 streams while open-loop writers create N documents per
 * second: {@code p2_delivery_p99_ms} (target <= 1 ms), the p99 of (event arrival - the transaction's commit
 * timestamp), and beside it {@code p2_send_to_delivery_p99_ms}, the p99 of (event arrival - intended send
 * time), which adds the write request's own path (request, queueing, the durable commit) to it.
 *
 * <p>How: writer n is due at {@code start + n/N} and stamps that time into the document as
 * {@code sent_ns}; a late send keeps its stamp, so queueing anywhere (client, server, commit, delivery)
 * counts in the send-to-delivery figure: no coordinated omission. The commit timestamp is the database's
 * own, on this machine's wall clock: Eddy's {@code txn_ts} in the event (taken when the group commit is
 * formed, before its synced write), the commit time in PostgreSQL's logical-decoding {@code Begin} message
 * (taken before the commit's WAL flush), and for the NOTIFY peer the wall clock in the trigger (just before
 * the commit). Each write matches one subscriber; the subscriber records both latencies into HdrHistograms.
 * A warm-up of a quarter of the run (1–5 s) is not recorded. The events over 1 ms are also summarized by
 * {@link LateEvents} ({@code late}: how many, in how many clusters, how many in stalls of ten or more). The PostgreSQL peers' writers are JDBC
 * connections inserting single rows (autocommit).
 */
public final class DeliveryScenario implements Scenario {
    private static final int PG_WRITER_CONNECTIONS = 32;
    /** P2's target: the commit-to-delivery latency past which an event is late (see {@link LateEvents}). */
    private static final long LATE_BOUND_MICROS = 1_000;

    @Override public String name() { return "p2"; }

    @Override public String title() { return "P2 commit->delivery p99, M F1 streams at N writes/s"; }

    @Override
    public void run(BenchContext ctx, Results results) throws Exception {
        BenchConfig.P2 p = ctx.config().p2();
        Map<String, Object> d = results.details(name());
        d.put("streams", p.streams());
        d.put("writes_per_s", p.writesPerSecond());
        d.put("seconds", p.seconds());
        int m = p.streams();
        double warmup = Math.min(5, Math.max(1, p.seconds() / 4.0));

        ctx.createCollection("P2Doc", false);
        List<String> sources = new ArrayList<>(m);
        for (int i = 0; i < m; i++) sources.add(Filter.F1.source("P2Doc", i, m, null));
        try (StreamPool pool = ctx.streamPool()) {
            pool.open(ctx.client().tokens(sources, 500), 120);
            Map<String, Object> r = measure(ctx, ctx.client().writer("P2Doc", ctx.payload()), p.writesPerSecond(), warmup,
                    p.seconds(), m, (fromSend, fromCommit) -> {
                        pool.latency(fromSend);
                        pool.commitLatency(fromCommit);
                    }, pool::events);
            r.put("stream_errors", pool.errors());
            r.put("stream_connections", pool.connections());
            if (!pool.errorSamples().isEmpty()) r.put("error_samples", pool.errorSamples());
            d.put("eddy", r);
            figures(results, r, "");
        }

        if (!ctx.hasPostgres()) return;
        int groups = WriteTaxScenario.listenerGroups(ctx, m);
        PgTable.create(ctx.pg(), "p2_notify");
        PgNotifyPeer.installTrigger(ctx.pg(), "p2_notify", true);
        try (PgNotifyPeer notify = new PgNotifyPeer(ctx.pg());
             PgWriter w = new PgWriter(ctx.pg(), "p2_notify", PG_WRITER_CONNECTIONS, ctx.payload())) {
            notify.listen(m, groups);
            Map<String, Object> r = measure(ctx, w, p.writesPerSecond(), warmup, p.seconds(), m, (fromSend, fromCommit) -> {
                notify.latency(fromSend);
                notify.commitLatency(fromCommit);
            }, notify::delivered);
            r.put("listen_connections", groups);
            r.put("writer_connections", PG_WRITER_CONNECTIONS);
            d.put("postgres_notify", r);
            figures(results, r, "_postgres_notify");
        }
        PgTable.create(ctx.pg(), "p2_logical");
        try (PgLogicalPeer logical = new PgLogicalPeer(ctx.pg(), "p2_logical", m, groups);
             PgWriter w = new PgWriter(ctx.pg(), "p2_logical", PG_WRITER_CONNECTIONS, ctx.payload())) {
            Map<String, Object> r = measure(ctx, w, p.writesPerSecond(), warmup, p.seconds(), m, (fromSend, fromCommit) -> {
                logical.latency(fromSend);
                logical.commitLatency(fromCommit);
            }, logical::delivered);
            r.put("subscriber_sockets", groups);
            r.put("writer_connections", PG_WRITER_CONNECTIONS);
            if (logical.routerFailure() != null) r.put("router_failure", logical.routerFailure().toString());
            d.put("postgres_logical", r);
            figures(results, r, "_postgres_logical");
        }
    }

    /** The run's figures: commit-to-delivery p99 and p50, send-to-delivery p99 and p50; {@code suffix} names the peer. */
    private static void figures(Results results, Map<String, Object> r, String suffix) {
        results.figure("p2_delivery_p99_ms" + suffix, (double) r.get("p99_ms"));
        results.figure("p2_delivery_p50_ms" + suffix, (double) r.get("p50_ms"));
        @SuppressWarnings("unchecked")
        Map<String, Object> fromSend = (Map<String, Object>) r.get("send_to_delivery");
        results.figure("p2_send_to_delivery_p99_ms" + suffix, (double) fromSend.get("p99_ms"));
        results.figure("p2_send_to_delivery_p50_ms" + suffix, (double) fromSend.get("p50_ms"));
    }

    /**
     * Warm-up then measured open-loop run against {@code target}; {@code setLatency} points the
     * subscribers at fresh histograms (from the send, from the commit); {@code delivered} counts events.
     * The result's top level is commit-to-delivery; {@code send_to_delivery} is beside it.
     */
    static Map<String, Object> measure(BenchContext ctx, WriteTarget target, int rate, double warmup, double seconds, int m,
                                       java.util.function.BiConsumer<Latency, Latency> setLatency, LongSupplier delivered)
            throws Exception {
        setLatency.accept(new Latency(), new Latency());
        OpenLoop.run(target, rate, warmup, 50_000, (n, t) -> Filter.F1.doc(n, m, t, null));
        Thread.sleep(200);
        Latency lat = new Latency();
        Latency fromCommit = new Latency(new LateEvents(LATE_BOUND_MICROS, 1 << 20));
        setLatency.accept(lat, fromCommit);
        long before = delivered.getAsLong();
        Phase ph = Phase.start(ctx);
        OpenLoop.Result w = OpenLoop.run(target, rate, seconds, 50_000, (n, t) -> Filter.F1.doc(n, m, t, null));
        io.eddy.bench.peer.Await.count(delivered, before + w.acked(), 30);
        Map<String, Object> phase = ph.end();
        Map<String, Object> r = new LinkedHashMap<>(Latency.summary(fromCommit.snapshot()));
        r.put("late", fromCommit.lateSummary());
        r.put("send_to_delivery", Latency.summary(lat.snapshot()));
        w.putCounts(r);
        r.put("events_delivered", delivered.getAsLong() - before);
        r.put("write_ack_latency", Latency.summary(w.ack().snapshot()));
        r.putAll(phase);
        return r;
    }
}
