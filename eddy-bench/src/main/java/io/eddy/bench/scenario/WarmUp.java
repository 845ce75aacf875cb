package io.eddy.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eddy.bench.client.StreamPool;
import io.eddy.bench.workload.ClosedLoop;
import io.eddy.bench.workload.Filter;
import io.eddy.bench.workload.OpenLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Not a figure: runs before the scenarios so that the first one does not measure a cold server (JIT,
 * caches, RocksDB's first memtables) and a cold client. Closed-loop creates, then a few hundred F1 streams
 * under open-loop writes, then transactions that also write another collection, then the feed of
 * everything written (page after page), on a collection of its own. Its numbers are in the details
 * under {@code warmup} and are not figures.
 */
public final class WarmUp implements Scenario {
    private final double seconds;

    public WarmUp(double seconds) {
        this.seconds = seconds;
    }

    @Override public String name() { return "warmup"; }

    @Override public String title() { return "warm-up of server and client (not a figure)"; }

    @Override
    public void run(BenchContext ctx, Results results) throws Exception {
        Map<String, Object> d = results.details(name());
        ctx.createCollection("WarmDoc", false);
        // Made before the writes, so that its feed holds them all: reading it warms the feed path.
        String token = ctx.client().tokens(List.of("WarmDoc.all().toStream()"), 1).getFirst();
        ClosedLoop.Result r = ClosedLoop.run(ctx.client().writer("WarmDoc", ctx.payload()), 16, 0, seconds,
                (n, t) -> Filter.F1.doc(n, 250, t, null));
        d.put("creates_per_s", Math.round(r.perSecond()));
        int m = 250;
        List<String> sources = new ArrayList<>(m);
        for (int i = 0; i < m; i++) sources.add(Filter.F1.source("WarmDoc", i, m, null));
        try (StreamPool pool = ctx.streamPool()) {
            pool.open(ctx.client().tokens(sources, 250), 60);
            OpenLoop.Result w = OpenLoop.run(ctx.client().writer("WarmDoc", ctx.payload()), 1000, Math.max(1, seconds / 2), 50_000,
                    (n, t) -> Filter.F1.doc(n, m, t, null));
            pool.awaitEvents(w.acked(), 10);
            d.put("stream_events", pool.events());
        }
        interleave(ctx);
        d.put("feed_events", readFeed(ctx, token));
    }

    /**
     * Transactions that each write a document of another collection between two of the feed's: a log
     * read then meets other collections' records in its runs, as P5's does (its quiet collection), and
     * the JIT has seen that branch before the figure is taken instead of recompiling the log read (C2
     * took ~0.4 s over it) in the middle of P5's passes.
     */
    private static void interleave(BenchContext ctx) throws Exception {
        ctx.createCollection("WarmOther", false);
        for (int i = 0; i < 200; i++) {
            String fql = "WarmDoc.create({n: " + i + "}); WarmOther.create({n: " + i + "}); WarmDoc.create({n: " + i + "}).id";
            var response = ctx.client().post("/query/1", ("{\"query\":\"" + fql + "\"}").getBytes(StandardCharsets.UTF_8)).get();
            if (response.status() != 200) throw new IOException("warm-up write failed (" + response.status() + "): " + response.text());
        }
    }

    /** Reads the whole feed, page after page (16,000 events each), as P5 does; returns the events read. */
    private static long readFeed(BenchContext ctx, String token) throws Exception {
        long events = 0;
        String cursor = null;
        for (int page = 0; page < 1_000; page++) {
            String body = "{\"token\":\"" + token + "\",\"page_size\":16000"
                    + (cursor == null ? "" : ",\"cursor\":\"" + cursor + "\"") + "}";
            var response = ctx.client().post("/feed/1", body.getBytes(StandardCharsets.UTF_8)).get();
            if (response.status() != 200) throw new IOException("warm-up feed failed (" + response.status() + ")");
            JsonNode json = new ObjectMapper().readTree(response.text());
            events += json.get("events").size();
            if (!json.get("has_next").asBoolean()) break;
            cursor = json.get("cursor").asText();
        }
        return events;
    }
}
