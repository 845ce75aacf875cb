package io.eddy.bench.scenario;

import io.eddy.bench.BenchConfig;
import io.eddy.bench.peer.PgTable;
import io.eddy.bench.peer.PgWriter;
import io.eddy.bench.workload.ClosedLoop;
import io.eddy.bench.workload.Filter;
import java.util.Map;

/**
 * P6, single-document create throughput against PostgreSQL: durable single-document creates per second
 * on Eddy ({@code /query/1}, one transaction each) divided by single-row autocommit {@code INSERT}s per
 * second on PostgreSQL ({@code synchronous_commit=on}), both with the same number of closed-loop clients
 * and no subscribers ({@code p6_create_ratio_vs_postgres}, target >= 1.0). Eddy's clients share HTTP/2
 * connections (a client is one outstanding request); PostgreSQL's each have a connection, as JDBC needs.
 */
public final class CreateRatioScenario implements Scenario {
    @Override public String name() { return "p6"; }

    @Override public String title() { return "P6 durable creates/s, Eddy / PostgreSQL, same client concurrency"; }

    @Override
    public void run(BenchContext ctx, Results results) throws Exception {
        BenchConfig.P6 p = ctx.config().p6();
        Map<String, Object> d = results.details(name());
        d.put("clients", p.clients());
        d.put("seconds", p.seconds());
        double warmup = Math.min(3, Math.max(1, p.seconds() / 4.0));
        ctx.createCollection("P6Doc", false);
        Phase ph = Phase.start(ctx);
        ClosedLoop.Result eddy = ClosedLoop.run(ctx.client().writer("P6Doc", ctx.payload()), p.clients(), warmup, p.seconds(),
                (n, t) -> Filter.F1.doc(n, 1000, t, null));
        d.put("eddy", WriteTaxScenario.summary(eddy, ph.end()));
        results.figure("p6_creates_per_s", eddy.perSecond());
        if (!ctx.hasPostgres()) return;
        PgTable.create(ctx.pg(), "p6_docs");
        try (PgWriter w = new PgWriter(ctx.pg(), "p6_docs", p.clients(), ctx.payload())) {
            ph = Phase.start(ctx);
            ClosedLoop.Result pg = ClosedLoop.run(w, p.clients(), warmup, p.seconds(), (n, t) -> Filter.F1.doc(n, 1000, t, null));
            d.put("postgres", WriteTaxScenario.summary(pg, ph.end()));
            results.figure("p6_creates_per_s_postgres", pg.perSecond());
            results.figure("p6_create_ratio_vs_postgres", eddy.perSecond() / pg.perSecond());
        }
    }
}
