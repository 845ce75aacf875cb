package io.eddy.bench.scenario;

import io.eddy.bench.BenchConfig;
import io.eddy.bench.client.RespClient;
import io.eddy.bench.client.StreamPool;
import io.eddy.bench.workload.Filter;
import io.eddy.bench.workload.Latency;
import io.eddy.bench.workload.OpenLoop;
import io.eddy.bench.workload.WriteTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * P3, fan-out: events per second delivered to M F2 (broadcast) subscribers while the delivery p99 stays
 * under 100 ms ({@code p3_fanout_events_per_s}, target >= 1,000,000), beside Redis pub/sub with M
 * subscribed connections ({@code p3_fanout_events_per_s_redis}), the ceiling.
 *
 * <p>How: a rate ladder. Open-loop writers run a stage of {@code stageSeconds} at R writes/s (every
 * write goes to all M subscribers, so R·M events/s are offered); after the stage the harness waits for
 * the stage's events to drain. A stage passes when p99 (intended send to arrival) is under the bound and
 * at least 99% of the offered events arrived without a stream error. R starts at {@code startRate} and
 * grows by {@code factor} each stage (from 2 writes/s by 1.5 in the full run) up to {@code maxRate}. At
 * the first failing stage the ladder's steps are narrowed: {@link #REFINEMENTS} more stages bisect the
 * gap between the last passing and the first failing rate (marked {@code "refinement": true}), before
 * any stage further past the bound (whose overload can end streams). The figure is the delivered
 * events/s of the best passing stage (0 if none passed; every stage is in the details); delivered
 * events/s = events of the stage / time from the stage's start to its last event.
 *
 * <p>Then the ladder goes on past the bound (up to three failing stages in all) while p99 stays under 1 s and the
 * events keep up, and {@code p3_fanout_max_events_per_s_p99_under_1s} reports the best of all such stages:
 * the throughput ceiling, as opposed to the latency-bounded figure.
 */
public final class FanoutScenario implements Scenario {
    @Override public String name() { return "p3"; }

    @Override public String title() { return "P3 fan-out: events/s to M F2 subscribers with p99 < 100 ms"; }

    @Override
    public void run(BenchContext ctx, Results results) throws Exception {
        BenchConfig.P3 p = ctx.config().p3();
        Map<String, Object> d = results.details(name());
        d.put("subscribers", p.subscribers());
        d.put("start_rate", p.startRate());
        d.put("max_rate", p.maxRate());
        d.put("stage_seconds", p.stageSeconds());
        d.put("p99_bound_ms", p.p99BoundMs());
        d.put("rate_factor", p.factor());
        int m = p.subscribers();

        ctx.createCollection("P3Doc", false);
        List<String> sources = new ArrayList<>(m);
        for (int i = 0; i < m; i++) sources.add(Filter.F2.source("P3Doc", i, m, null));
        try (StreamPool pool = ctx.streamPool()) {
            pool.open(ctx.client().tokens(sources, 500), 300);
            Ladder eddy = ladder(ctx, p, ctx.client().writer("P3Doc", ctx.payload()), pool::latency, pool::events, pool::errors);
            d.put("eddy_stages", eddy.stages);
            d.put("eddy_stream_connections", pool.connections());
            if (!pool.errorSamples().isEmpty()) d.put("eddy_error_samples", pool.errorSamples());
            results.figure("p3_fanout_events_per_s", eddy.best);
            results.figure("p3_fanout_max_events_per_s_p99_under_1s", eddy.ceiling);
            d.put("eddy_first_stage_p99_ms", eddy.stages.getFirst().get("p99_ms"));
        }

        if (!ctx.hasRedis()) return;
        try (RespClient redis = new RespClient(ctx.net(), "127.0.0.1", ctx.redis().port())) {
            redis.subscribe(m, "feed");
            Ladder r = ladder(ctx, p, redis.publisher("feed", ctx.payload()), redis::latency, redis::messages, () -> 0);
            d.put("redis_stages", r.stages);
            d.put("redis_subscriber_connections", m);
            results.figure("p3_fanout_events_per_s_redis", r.best);
            results.figure("p3_fanout_max_events_per_s_p99_under_1s_redis", r.ceiling);
        }
    }

    /** {@code best}: under the p99 bound; {@code ceiling}: any stage that kept up (see {@link #CEILING_P99_MS}). */
    private record Ladder(double best, double ceiling, List<Map<String, Object>> stages) {}

    /** Past the bound, the ladder goes on while p99 stays under this, to find the throughput ceiling. */
    static final double CEILING_P99_MS = 1000;

    private static Ladder ladder(BenchContext ctx, BenchConfig.P3 p, WriteTarget target, Consumer<Latency> setLatency,
                                 LongSupplier delivered, LongSupplier errors) throws Exception {
        int m = p.subscribers();
        List<Map<String, Object>> stages = new ArrayList<>();
        double best = 0;
        double ceiling = 0;
        // warm-up: one second at the start rate, not recorded
        setLatency.accept(new Latency());
        long w0 = delivered.getAsLong();
        OpenLoop.Result warm = OpenLoop.run(target, p.startRate(), 1, 100_000, (n, t) -> Filter.F2.doc(n, m, t, null));
        io.eddy.bench.peer.Await.count(delivered, w0 + warm.acked() * m, 30);
        double lastPass = 0;
        double firstFail = 0;
        long errorsAtStart = errors.getAsLong();
        double rate = p.startRate();
        boolean belowCeiling = true; // the first failing stage still kept up, under CEILING_P99_MS
        // 1. Climb until a stage fails the bound.
        for (; rate <= p.maxRate(); rate = next(rate, p)) {
            Stage st = stage(ctx, p, target, setLatency, delivered, errors, rate);
            stages.add(st.details());
            if (st.keptUp() && st.p99Ms() < CEILING_P99_MS) ceiling = Math.max(ceiling, st.eventsPerSecond());
            if (!st.pass()) {
                firstFail = rate;
                belowCeiling = st.keptUp() && st.p99Ms() < CEILING_P99_MS;
                break;
            }
            best = Math.max(best, st.eventsPerSecond());
            lastPass = rate;
        }
        // 2. The ladder's steps are coarse (x1.5): narrow the gap between the last passing rate and the
        // first failing one by bisecting it (geometrically), so the figure is not up to a third below the
        // truth. Before the climb past the bound, whose overloaded stages can end streams (a stream
        // ended by an error would fail any later stage).
        double failedAt = firstFail;
        for (int i = 0; i < REFINEMENTS && lastPass > 0 && firstFail > lastPass && errors.getAsLong() == errorsAtStart; i++) {
            double mid = Math.round(Math.sqrt(lastPass * firstFail) * 10) / 10.0;
            if (mid <= lastPass || mid >= firstFail) break;
            Stage st = stage(ctx, p, target, setLatency, delivered, errors, mid);
            st.details().put("refinement", true);
            stages.add(st.details());
            if (st.pass()) {
                best = Math.max(best, st.eventsPerSecond());
                lastPass = mid;
            } else {
                firstFail = mid;
            }
            if (st.keptUp() && st.p99Ms() < CEILING_P99_MS) ceiling = Math.max(ceiling, st.eventsPerSecond());
        }
        // 3. Past the bound the ladder goes on (up to three failing stages in all) while p99 stays under
        // CEILING_P99_MS and the events keep up: the throughput ceiling.
        if (failedAt > 0 && belowCeiling && errors.getAsLong() == errorsAtStart) {
            int failing = (int) stages.stream().filter(x -> !(boolean) x.get("pass")).count();
            for (rate = next(failedAt, p); rate <= p.maxRate() && failing < 3; rate = next(rate, p)) {
                Stage st = stage(ctx, p, target, setLatency, delivered, errors, rate);
                stages.add(st.details());
                if (!st.pass()) failing++;
                if (!st.keptUp() || st.p99Ms() >= CEILING_P99_MS) break;
                ceiling = Math.max(ceiling, st.eventsPerSecond());
                if (st.pass()) best = Math.max(best, st.eventsPerSecond());
            }
        }
        return new Ladder(best, ceiling, stages);
    }

    /** Bisection stages run once the ladder first fails, between its last passing and first failing rates. */
    static final int REFINEMENTS = 2;

    private static double next(double rate, BenchConfig.P3 p) {
        return Math.round(rate * p.factor() * 10) / 10.0;
    }

    private record Stage(Map<String, Object> details, boolean pass, boolean keptUp, double p99Ms, double eventsPerSecond) {}

    /** One stage at {@code rate} writes/s: writes, waits for the events to drain, and judges it. */
    private static Stage stage(BenchContext ctx, BenchConfig.P3 p, WriteTarget target, Consumer<Latency> setLatency,
                               LongSupplier delivered, LongSupplier errors, double rate) throws Exception {
        int m = p.subscribers();
        Latency lat = new Latency();
        setLatency.accept(lat);
        long before = delivered.getAsLong();
        long errorsBefore = errors.getAsLong();
        Phase ph = Phase.start(ctx);
        long t0 = System.nanoTime();
        OpenLoop.Result w = OpenLoop.run(target, rate, p.stageSeconds(), 100_000, (n, t) -> Filter.F2.doc(n, m, t, null));
        long expected = w.acked() * m;
        long lastChangeNanos = awaitWithTime(delivered, before + expected, 60);
        Map<String, Object> phase = ph.end();
        long got = delivered.getAsLong() - before;
        double seconds = Math.max(p.stageSeconds(), (lastChangeNanos - t0) / 1e9);
        double eventsPerSecond = got / seconds;
        Histogram h = lat.snapshot();
        double p99 = Latency.p99Ms(h);
        long newErrors = errors.getAsLong() - errorsBefore;
        boolean keptUp = got >= 0.99 * expected && newErrors == 0 && w.failed() == 0 && w.shed() == 0;
        boolean pass = p99 < p.p99BoundMs() && keptUp;
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("writes_per_s", rate);
        s.put("offered_events_per_s", Math.round(rate * m));
        s.put("events_expected", expected);
        s.put("events_delivered", got);
        s.put("delivered_events_per_s", Math.round(eventsPerSecond));
        s.putAll(Latency.summary(h));
        s.put("stream_errors", newErrors);
        s.put("writes_failed", w.failed());
        s.put("writes_shed", w.shed());
        s.put("pass", pass);
        s.putAll(phase);
        return new Stage(s, pass, keptUp, p99, eventsPerSecond);
    }

    /** Waits like {@code Await.count}; returns the nanoTime of the last change seen. */
    private static long awaitWithTime(LongSupplier counter, long expected, double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long last = counter.getAsLong();
        long lastChange = System.nanoTime();
        while (counter.getAsLong() < expected && System.nanoTime() < deadline) {
            long now = counter.getAsLong();
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 3_000_000_000L) {
                return lastChange;
            }
            Thread.sleep(2);
        }
        return counter.getAsLong() != last ? System.nanoTime() : lastChange;
    }
}
