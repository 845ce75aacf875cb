package io.eddy.bench.scenario;

import io.eddy.bench.BenchConfig;
import io.eddy.bench.client.StreamPool;
import io.eddy.bench.workload.Filter;
import io.eddy.bench.workload.Latency;
import io.eddy.bench.workload.OpenLoop;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Beyond the figure table: delivery latency on Eddy for the other filters of W(N, M, F), F2 broadcast,
 * F3 a non-indexable predicate, F4 point streams and F5 a field-level filter ({@code changesOn}), each with
 * M streams under open-loop writes (F2's write rate is capped so it offers at most 100,000 events/s).
 * F4 and F5 update M pre-created documents; F5's writers change {@code status} every other round, and
 * only those writes must be delivered. Reports p50/p99/p99.9/max and delivered vs expected events, as
 * {@code w_f<k>_delivery_p99_ms} in the figures.
 */
public final class FilterScenario implements Scenario {
    @Override public String name() { return "extra"; }

    @Override public String title() { return "W(N, M, F) delivery latency for F2-F5 on Eddy"; }

    @Override
    public void run(BenchContext ctx, Results results) throws Exception {
        BenchConfig.Extra p = ctx.config().extra();
        Map<String, Object> d = results.details(name());
        d.put("streams", p.streams());
        d.put("writes_per_s", p.writesPerSecond());
        d.put("seconds", p.seconds());
        for (Filter f : List.of(Filter.F2, Filter.F3, Filter.F4, Filter.F5)) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("filter", f.label());
            try {
                runOne(ctx, p, f, r);
                results.figure("w_" + f.name().toLowerCase() + "_delivery_p99_ms", (double) r.get("p99_ms"));
            } catch (Exception e) {
                r.put("failed", e.toString());
            }
            d.put(f.name(), r);
        }
    }

    private static void runOne(BenchContext ctx, BenchConfig.Extra p, Filter f, Map<String, Object> r) throws Exception {
        int m = p.streams();
        String coll = "W" + f.name() + "Doc";
        ctx.createCollection(coll, f == Filter.F5);
        String[] ids = null;
        if (f.updates()) ids = precreate(ctx, coll, m);
        int rate = f == Filter.F2 ? Math.max(1, Math.min(p.writesPerSecond(), 100_000 / m)) : p.writesPerSecond();
        r.put("writes_per_s", rate);
        List<String> sources = new ArrayList<>(m);
        for (int i = 0; i < m; i++) sources.add(f.source(coll, i, ids));
        final String[] targets = ids;
        try (StreamPool pool = ctx.streamPool()) {
            pool.open(ctx.client().tokens(sources, 500), 120);
            Latency lat = new Latency();
            pool.latency(lat);
            long before = pool.events();
            Phase ph = Phase.start(ctx);
            OpenLoop.Result w = OpenLoop.run(ctx.client().writer(coll, ctx.payload()), rate, p.seconds(), 50_000,
                    (n, t) -> f.doc(n, m, t, targets));
            long expected = Math.round(w.acked() * f.deliveriesPerWrite(m));
            pool.awaitEvents(before + expected, 30);
            Thread.sleep(500); // any extra (wrongly delivered) events
            Map<String, Object> phase = ph.end();
            Histogram h = lat.snapshot();
            r.putAll(Latency.summary(h));
            r.put("writes_acked", w.acked());
            r.put("writes_failed", w.failed());
            r.put("events_expected", expected);
            r.put("events_delivered", pool.events() - before);
            r.put("stream_errors", pool.errors());
            if (!pool.errorSamples().isEmpty()) r.put("error_samples", pool.errorSamples());
            r.putAll(phase);
        }
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
