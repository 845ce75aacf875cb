package io.eddy.bench.scenario;

import io.eddy.bench.BenchConfig;
import io.eddy.bench.client.EddyClient;
import io.eddy.bench.client.FeedPageScan;
import io.eddy.bench.client.H2Connection;
import io.eddy.bench.peer.PgReplay;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * P5, replay from history: events per second read through {@code /feed/1} with {@code page_size} 16000
 * ({@code p5_feed_replay_events_per_s}, target >= 1,000,000; Fauna replays at most 128 events).
 *
 * <p>How: a {@code Doc.all()} event source is made first, then K documents are created (in transactions
 * of 1,000), so the feed from the token's creation holds K {@code add} events. One client reads the pages
 * one after the other, following {@code cursor} while {@code has_next}, as a driver's feed iterator does;
 * events/s = K / wall time of the whole read. {@value #PASSES} passes, the same for both systems; the
 * figure is the best (the details have all): a pass lasts a few seconds, and the first ones still run
 * while the JIT compiles the feed path. Beside it {@code p5_feed_replay_median_events_per_s}, the median
 * of the complete passes, so a reader sees how typical the best one is. Pages are scanned ({@link FeedPageScan}), not parsed. The PostgreSQL peer replays a
 * {@code pgoutput} slot created before the same K rows were inserted ({@code _postgres_logical}).
 *
 * <p>Beside it, {@code p5_quiet_feed_ms}: the wall time of reading the feed of a quiet collection whose
 * {@value #QUIET_EVERY}th history transaction also wrote one of its documents (10 events among K records
 * of the busy one): what a feed costs when its collection is a small part of the log's window.
 */
public final class FeedReplayScenario implements Scenario {
    private static final int BATCH = 1000;
    private static final int PASSES = 8;
    /** Every this many history transactions, one also creates a document of the quiet collection. */
    private static final int QUIET_EVERY = 50;

    @Override public String name() { return "p5"; }

    @Override public String title() { return "P5 feed replay from history, events/s via /feed/1 (page_size 16000)"; }

    @Override
    public void run(BenchContext ctx, Results results) throws Exception {
        BenchConfig.P5 p = ctx.config().p5();
        Map<String, Object> d = results.details(name());
        d.put("history_events", p.events());
        d.put("page_size", p.pageSize());
        ctx.createCollection("P5Doc", false);
        ctx.createCollection("P5Quiet", false);
        String token = ctx.client().tokens(List.of("P5Doc.all().toStream()"), 1).getFirst();
        String quietToken = ctx.client().tokens(List.of("P5Quiet.all().toStream()"), 1).getFirst();
        long t0 = System.nanoTime();
        fill(ctx, p.events());
        d.put("history_write_docs_per_s", Math.round(p.events() / ((System.nanoTime() - t0) / 1e9)));
        // History is read once written, not while the server may still flush and compact the bulk write.
        d.put("quiet_wait_s", ctx.awaitQuietServer(0.1, 60));
        List<Map<String, Object>> passes = new ArrayList<>();
        double best = 0;
        List<Double> complete = new ArrayList<>();
        try (H2Connection conn = ctx.client().newConnection()) {
            for (int pass = 0; pass < PASSES; pass++) {
                Phase ph = Phase.start(ctx);
                Map<String, Object> r = read(conn, token, p.pageSize());
                r.putAll(ph.end());
                passes.add(r);
                long events = (long) r.get("events");
                if (events < p.events()) {
                    r.put("problem", "read " + events + " of " + p.events() + " events");
                    continue;
                }
                best = Math.max(best, (double) r.get("events_per_s"));
                complete.add((double) r.get("events_per_s"));
            }
        }
        d.put("eddy_passes", passes);
        results.figure("p5_feed_replay_events_per_s", best);
        if (!complete.isEmpty()) results.figure("p5_feed_replay_median_events_per_s", median(complete));
        try (H2Connection conn = ctx.client().newConnection()) {
            List<Double> quietMs = new ArrayList<>();
            long quietEvents = 0;
            for (int pass = 0; pass < PASSES; pass++) {
                long t = System.nanoTime();
                quietEvents = (long) read(conn, quietToken, p.pageSize()).get("events");
                quietMs.add(Phase.round((System.nanoTime() - t) / 1e6));
            }
            d.put("quiet_feed_events", quietEvents);
            d.put("quiet_feed_passes_ms", quietMs);
            results.figure("p5_quiet_feed_ms", quietMs.stream().mapToDouble(Double::doubleValue).min().orElseThrow());
        }

        if (!ctx.hasPostgres()) return;
        PgReplay replay = new PgReplay(ctx.pg(), "p5_history");
        replay.fill(p.events(), 10_000, ctx.payload());
        double pgBest = 0;
        List<Double> pgPasses = new ArrayList<>();
        for (int pass = 0; pass < PASSES; pass++) {
            double r = replay.replay(p.events());
            pgPasses.add((double) Math.round(r));
            pgBest = Math.max(pgBest, r);
        }
        d.put("postgres_logical_passes_rows_per_s", pgPasses);
        results.figure("p5_feed_replay_events_per_s_postgres_logical", pgBest);
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Creates {@code total} documents, {@link #BATCH} per transaction, four transactions in flight. */
    private static void fill(BenchContext ctx, int total) throws IOException {
        List<CompletableFuture<H2Connection.Response>> inFlight = new ArrayList<>();
        for (int from = 0; from < total; from += BATCH) {
            int n = Math.min(BATCH, total - from);
            String quiet = (from / BATCH) % QUIET_EVERY == QUIET_EVERY / 2 ? "P5Quiet.create({n: " + from + "}); " : "";
            String fql = quiet + "Set.sequence(0, " + n + ").map(i => P5Doc.create({owner: \"o\" + i.toString(), status: \"s\", "
                    + "score: 1, payload: \"" + ctx.payload() + "\", sent_ns: 0})).toArray().length";
            byte[] body = ("{\"query\":\"" + fql.replace("\"", "\\\"") + "\"}").getBytes(StandardCharsets.UTF_8);
            inFlight.add(ctx.client().post("/query/1", body));
            if (inFlight.size() == 4) {
                check(EddyClient.await(inFlight.removeFirst(), 300));
            }
        }
        for (CompletableFuture<H2Connection.Response> f : inFlight) check(EddyClient.await(f, 300));
    }

    private static void check(H2Connection.Response r) throws IOException {
        if (r.status() != 200) throw new IOException("history write failed (" + r.status() + "): " + r.text());
    }

    private record ScannedPage(int status, FeedPageScan.Page page, long bytes) {}

    /** Requests one page, scanning its DATA frames as they arrive. */
    private static CompletableFuture<ScannedPage> page(H2Connection conn, byte[] body) {
        CompletableFuture<ScannedPage> done = new CompletableFuture<>();
        FeedPageScan scan = new FeedPageScan();
        conn.request("/feed/1", body, new H2Connection.BodyHandler() {
            private int status;

            @Override public void onHeaders(int s) { status = s; }

            @Override public void onData(io.netty.buffer.ByteBuf data) { scan.feed(data); }

            @Override public void onEnd() { done.complete(new ScannedPage(status, scan.page(), scan.bytes())); }

            @Override public void onFailure(Throwable t) { done.completeExceptionally(t); }
        });
        return done;
    }

    /** Reads the whole feed from the token's creation; returns events, pages and events/s. */
    private static Map<String, Object> read(H2Connection conn, String token, int pageSize) throws IOException {
        long events = 0;
        long errors = 0;
        long bytes = 0;
        int pages = 0;
        String cursor = null;
        long t0 = System.nanoTime();
        while (true) {
            String body = "{\"token\":\"" + token + "\",\"page_size\":" + pageSize
                    + (cursor == null ? "" : ",\"cursor\":\"" + cursor + "\"") + "}";
            ScannedPage r = EddyClient.await(page(conn, body.getBytes(StandardCharsets.UTF_8)), 300);
            if (r.status() != 200) throw new IOException("feed failed (" + r.status() + ")");
            FeedPageScan.Page page = r.page();
            pages++;
            events += page.events();
            errors += page.errors();
            bytes += r.bytes();
            if (!page.hasNext() || page.events() == 0) break;
            cursor = page.cursor();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", events);
        m.put("error_events", errors);
        m.put("pages", pages);
        m.put("bytes", bytes);
        m.put("seconds", Phase.round(seconds));
        m.put("events_per_s", events / seconds);
        return m;
    }
}
