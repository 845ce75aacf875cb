package io.eddy.bench.scenario;

import io.eddy.bench.BenchConfig;
import io.eddy.bench.client.StreamPool;
import io.eddy.bench.peer.PgLogicalPeer;
import io.eddy.bench.peer.PgNotifyPeer;
import io.eddy.bench.peer.PgTable;
import io.eddy.bench.peer.PgWriter;
import io.eddy.bench.workload.ClosedLoop;
import io.eddy.bench.workload.Filter;
import io.eddy.bench.workload.Latency;
import io.eddy.bench.workload.WriteTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * P1, the write tax of live queries: durable commits per second with M live F1 streams, divided by
 * commits per second with none ({@code p1_write_tax_ratio}, target >= 0.90).
 *
 * <p>How: {@code writers} closed-loop clients create single documents (each its own durable transaction)
 * for {@code seconds} after a warm-up, once with no subscriber and once with M F1 streams open (owners
 * {@code o0..o<M-1>}, write n goes to owner n mod M, so every write is delivered to exactly one
 * subscriber). The same for PostgreSQL: a plain table without trigger or slot is the baseline of both
 * peers; {@code _postgres_notify} adds the NOTIFY trigger and M LISTENed channels,
 * {@code _postgres_logical} adds the pgoutput slot, the router and M subscribers.
 *
 * <p>Eddy's phases alternate, none and with streams, {@code rounds} times, ending with none (the streams
 * are opened again for each round); the ratio is the mean rate with streams over the mean rate without.
 * On a shared 2-core machine the rate drifts by ±20% over tens of seconds, and alternating short phases
 * keeps the drift from favouring either side. PostgreSQL's baseline is measured before and after its
 * runs with subscribers (once each), and its ratios divide by the mean of the two.
 */
public final class WriteTaxScenario implements Scenario {
    @Override public String name() { return "p1"; }

    @Override public String title() { return "P1 write tax: commits/s with M live F1 streams / with none"; }

    @Override
    public void run(BenchContext ctx, Results results) throws Exception {
        BenchConfig.P1 p = ctx.config().p1();
        Map<String, Object> d = results.details(name());
        d.put("streams", p.streams());
        d.put("writers", p.writers());
        d.put("seconds", p.seconds());
        double warmup = Math.min(3, Math.max(1, p.seconds() / 4.0));
        int m = p.streams();

        // --- Eddy ---
        ctx.createCollection("P1Doc", false);
        WriteTarget eddy = ctx.client().writer("P1Doc", ctx.payload());
        List<String> sources = new ArrayList<>(m);
        for (int i = 0; i < m; i++) sources.add(Filter.F1.source("P1Doc", i, m, null));
        List<Map<String, Object>> phases = new ArrayList<>();
        List<Double> noneRates = new ArrayList<>();
        List<Double> withRates = new ArrayList<>();
        for (int round = 0; round < p.rounds(); round++) {
            Phase ph = Phase.start(ctx);
            ClosedLoop.Result none = ClosedLoop.run(eddy, p.writers(), warmup, p.seconds(), (n, t) -> Filter.F1.doc(n, m, t, null));
            phases.add(phase("none", summary(none, ph.end())));
            noneRates.add(none.perSecond());
            try (StreamPool pool = ctx.streamPool()) {
                pool.open(ctx.client().tokens(sources, 500), 120);
                Latency delivery = new Latency();
                pool.latency(delivery);
                long before = pool.events();
                ph = Phase.start(ctx);
                ClosedLoop.Result with = ClosedLoop.run(eddy, p.writers(), warmup, p.seconds(), (n, t) -> Filter.F1.doc(n, m, t, null));
                Map<String, Object> w = summary(with, ph.end());
                pool.awaitEvents(before + with.issued(), 10);
                w.put("events_delivered", pool.events() - before);
                w.put("stream_errors", pool.errors());
                w.put("stream_connections", pool.connections());
                w.put("delivery", Latency.summary(delivery.snapshot()));
                if (!pool.errorSamples().isEmpty()) w.put("error_samples", pool.errorSamples());
                phases.add(phase("with_streams", w));
                withRates.add(with.perSecond());
            }
        }
        Phase ph = Phase.start(ctx);
        ClosedLoop.Result last = ClosedLoop.run(eddy, p.writers(), warmup, p.seconds(), (n, t) -> Filter.F1.doc(n, m, t, null));
        phases.add(phase("none", summary(last, ph.end())));
        noneRates.add(last.perSecond());
        d.put("eddy_phases", phases);
        double eddyBase = mean(noneRates);
        double withRate = mean(withRates);
        d.put("eddy_none_commits_per_s", noneRates.stream().map(Math::round).toList());
        d.put("eddy_with_streams_commits_per_s", withRates.stream().map(Math::round).toList());
        results.figure("p1_write_tax_ratio", withRate / eddyBase);
        results.figure("p1_commits_per_s_no_streams", eddyBase);
        results.figure("p1_commits_per_s_with_streams", withRate);

        // --- PostgreSQL ---
        if (!ctx.hasPostgres()) return;
        PgTable.create(ctx.pg(), "p1_plain");
        double base1 = pgBaseline(ctx, p, warmup, m, d, "postgres_none");
        double notifyRate;
        double logicalRate;
        PgTable.create(ctx.pg(), "p1_notify");
        PgNotifyPeer.installTrigger(ctx.pg(), "p1_notify");
        try (PgNotifyPeer notify = new PgNotifyPeer(ctx.pg());
             PgWriter w = new PgWriter(ctx.pg(), "p1_notify", p.writers(), ctx.payload())) {
            notify.listen(m, listenerGroups(ctx, m));
            long before = notify.delivered();
            ph = Phase.start(ctx);
            ClosedLoop.Result r = ClosedLoop.run(w, p.writers(), warmup, p.seconds(), (n, t) -> Filter.F1.doc(n, m, t, null));
            Map<String, Object> s = summary(r, ph.end());
            notify.awaitDelivered(before + r.issued(), 10);
            s.put("events_delivered", notify.delivered() - before);
            s.put("listen_connections", listenerGroups(ctx, m));
            d.put("postgres_notify", s);
            notifyRate = r.perSecond();
        }
        PgTable.create(ctx.pg(), "p1_logical");
        try (PgLogicalPeer logical = new PgLogicalPeer(ctx.pg(), "p1_logical", m, listenerGroups(ctx, m));
             PgWriter w = new PgWriter(ctx.pg(), "p1_logical", p.writers(), ctx.payload())) {
            long before = logical.delivered();
            ph = Phase.start(ctx);
            ClosedLoop.Result r = ClosedLoop.run(w, p.writers(), warmup, p.seconds(), (n, t) -> Filter.F1.doc(n, m, t, null));
            Map<String, Object> s = summary(r, ph.end());
            logical.awaitDelivered(before + r.issued(), 10);
            s.put("events_delivered", logical.delivered() - before);
            if (logical.routerFailure() != null) s.put("router_failure", logical.routerFailure().toString());
            d.put("postgres_logical", s);
            logicalRate = r.perSecond();
        }
        double base = (base1 + pgBaseline(ctx, p, warmup, m, d, "postgres_none_after")) / 2;
        results.figure("p1_write_tax_ratio_postgres_notify", notifyRate / base);
        results.figure("p1_write_tax_ratio_postgres_logical", logicalRate / base);
        results.figure("p1_commits_per_s_no_streams_postgres", base);
    }

    private static double pgBaseline(BenchContext ctx, BenchConfig.P1 p, double warmup, int m, Map<String, Object> d, String key)
            throws Exception {
        try (PgWriter w = new PgWriter(ctx.pg(), "p1_plain", p.writers(), ctx.payload())) {
            Phase ph = Phase.start(ctx);
            ClosedLoop.Result r = ClosedLoop.run(w, p.writers(), warmup, p.seconds(), (n, t) -> Filter.F1.doc(n, m, t, null));
            d.put(key, summary(r, ph.end()));
            return r.perSecond();
        }
    }

    private static Map<String, Object> phase(String kind, Map<String, Object> summary) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("kind", kind);
        m.putAll(summary);
        return m;
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** Listening connections for M subscribers: as many as Eddy's HTTP/2 connections for M streams. */
    static int listenerGroups(BenchContext ctx, int m) {
        return Math.max(1, (m + ctx.config().streamsPerConnection() - 1) / ctx.config().streamsPerConnection());
    }

    static Map<String, Object> summary(ClosedLoop.Result r, Map<String, Object> phase) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("commits_per_s", Math.round(r.perSecond()));
        m.put("acked", r.acked());
        m.put("failed", r.failed());
        m.put("commit_latency", Latency.summary(r.latency().snapshot()));
        m.putAll(phase);
        return m;
    }
}
