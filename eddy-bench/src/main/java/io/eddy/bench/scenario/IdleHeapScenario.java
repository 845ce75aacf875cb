package io.eddy.bench.scenario;

import io.eddy.bench.BenchConfig;
import io.eddy.bench.client.RespClient;
import io.eddy.bench.client.StreamPool;
import io.eddy.bench.workload.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * P4, memory per idle stream: (server heap after GC with M idle F1 streams - heap after GC with none) / M
 * ({@code p4_heap_bytes_per_idle_stream}, target <= 2,048 bytes).
 *
 * <p>How: tokens are made first (so that whatever the token queries leave behind is in both readings);
 * then {@code jcmd <pid> GC.class_histogram} (a full GC, then every live object counted) gives the live
 * heap, the M streams are opened and confirmed live (each has received its {@code status} event), and the
 * live heap is read again. Both readings are the smaller of two consecutive ones. The HTTP/2 connections
 * carrying the streams (M / streams-per-connection of them) count towards the streams' cost. The Redis
 * figure is {@code used_memory} of {@code INFO memory} with M idle subscribed connections minus none,
 * per subscriber (its per-client buffers and pub/sub entries).
 */
public final class IdleHeapScenario implements Scenario {
    @Override public String name() { return "p4"; }

    /** The 15 classes whose live bytes grew most, per stream: what the streams' memory is made of. */
    static Map<String, Object> topDelta(Map<String, Long> before, Map<String, Long> after, int m) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .filter(e -> e.getValue() > 0)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .limit(15)
                .forEach(e -> out.put(e.getKey(), Math.round(e.getValue() * 10.0 / m) / 10.0));
        return out;
    }

    @Override public String title() { return "P4 server heap per idle stream (after GC)"; }

    @Override
    public void run(BenchContext ctx, Results results) throws Exception {
        BenchConfig.P4 p = ctx.config().p4();
        Map<String, Object> d = results.details(name());
        int m = p.streams();
        d.put("streams", m);
        ctx.createCollection("P4Doc", false);
        List<String> sources = new ArrayList<>(m);
        for (int i = 0; i < m; i++) sources.add(Filter.F1.source("P4Doc", i, m, null));
        List<String> tokens = ctx.client().tokens(sources, 500);
        Phase ph = Phase.start(ctx);
        long before = ctx.eddy().liveHeapBytes();
        Map<String, Long> classesBefore = ctx.eddy().liveBytesByClass();
        try (StreamPool pool = ctx.streamPool()) {
            pool.open(tokens, 300);
            Thread.sleep(500);
            long with = ctx.eddy().liveHeapBytes();
            d.put("top_classes_bytes_per_stream", topDelta(classesBefore, ctx.eddy().liveBytesByClass(), m));
            d.put("heap_live_bytes_none", before);
            d.put("heap_live_bytes_with_streams", with);
            d.put("stream_connections", pool.connections());
            d.put("streams_live", pool.started());
            d.putAll(ph.end());
            results.figure("p4_heap_bytes_per_idle_stream", (with - before) / (double) m);
        }
        if (!ctx.hasRedis()) return;
        try (RespClient redis = new RespClient(ctx.net(), "127.0.0.1", ctx.redis().port())) {
            long r0 = ctx.redis().usedMemory();
            redis.subscribe(m, "idle");
            Thread.sleep(200);
            long r1 = ctx.redis().usedMemory();
            d.put("redis_used_memory_none", r0);
            d.put("redis_used_memory_with_subscribers", r1);
            results.figure("p4_heap_bytes_per_idle_stream_redis", (r1 - r0) / (double) m);
        }
    }
}
