package io.eddy.bench.scenario;

import io.eddy.bench.env.Machine;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resource use over one measured phase: CPU seconds of the harness (the client side), of the target's
 * server processes, and the load average, so a figure can be read knowing whether the client or a
 * neighbour was the bottleneck.
 */
public final class Phase {
    private final BenchContext ctx;
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();
    private final double client0;
    private final double eddy0;
    private final double pg0;
    private final double redis0;
    private final double load0;
    private final long eddyWrites0;

    private Phase(BenchContext ctx) {
        this.ctx = ctx;
        client0 = Machine.selfCpuSeconds();
        eddy0 = ctx.eddyCpu();
        pg0 = ctx.pgCpu();
        redis0 = ctx.redisCpu();
        load0 = Machine.loadAverage1();
        eddyWrites0 = Machine.writeSyscalls(ctx.eddy().pid());
    }

    public static Phase start(BenchContext ctx) {
        return new Phase(ctx);
    }

    /** Wall seconds, CPU use of each process as a share of one core, and the load average at the end. */
    public Map<String, Object> end() {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wall_s", round(wall));
        m.put("started_at_ms", startMillis); // to cut a JFR recording to this phase
        m.put("client_cpu_cores", round((Machine.selfCpuSeconds() - client0) / wall));
        m.put("eddy_cpu_cores", round((ctx.eddyCpu() - eddy0) / wall));
        long writes = Machine.writeSyscalls(ctx.eddy().pid());
        if (writes >= 0 && eddyWrites0 >= 0) m.put("eddy_write_syscalls", writes - eddyWrites0);
        if (ctx.hasPostgres()) m.put("postgres_cpu_cores", round((ctx.pgCpu() - pg0) / wall));
        if (ctx.hasRedis()) m.put("redis_cpu_cores", round((ctx.redisCpu() - redis0) / wall));
        m.put("load_avg_1m_start", load0);
        m.put("load_avg_1m_end", Machine.loadAverage1());
        ctx.sampleLoad();
        return m;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
