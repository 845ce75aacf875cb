package io.eddy.bench.scenario;

import io.eddy.bench.env.Machine;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resource use over one measured phase: CPU seconds of the harness (the client side), of the target's
 * server processes (Eddy's also per thread group: event loops, committer, dispatcher, virtual-thread
 * carriers, renderers, GC, JIT), the machine's busy, idle and stolen CPU, and the load average, so a
 * figure can be read knowing whether the client, a part of the server or a neighbour was the bottleneck.
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
    private final Map<Long, Machine.ThreadCpu> eddyThreads0;
    private final Machine.CpuTimes machine0;

    private Phase(BenchContext ctx) {
        this.ctx = ctx;
        client0 = Machine.selfCpuSeconds();
        eddy0 = ctx.eddyCpu();
        pg0 = ctx.pgCpu();
        redis0 = ctx.redisCpu();
        load0 = Machine.loadAverage1();
        eddyWrites0 = Machine.writeSyscalls(ctx.eddy().pid());
        eddyThreads0 = Machine.threadCpuSeconds(ctx.eddy().pid());
        machine0 = Machine.cpuTimes();
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
        m.put("eddy_cpu_cores_by_thread", byThread(Machine.cpuByGroup(eddyThreads0,
                Machine.threadCpuSeconds(ctx.eddy().pid())), wall));
        long writes = Machine.writeSyscalls(ctx.eddy().pid());
        if (writes >= 0 && eddyWrites0 >= 0) m.put("eddy_write_syscalls", writes - eddyWrites0);
        if (ctx.hasPostgres()) m.put("postgres_cpu_cores", round((ctx.pgCpu() - pg0) / wall));
        if (ctx.hasRedis()) m.put("redis_cpu_cores", round((ctx.redisCpu() - redis0) / wall));
        Machine.CpuTimes machine = Machine.cpuTimes();
        if (machine0 != null && machine != null) {
            // Busy counts every process of the machine (Eddy, the client, peers, anything else);
            // steal is CPU the hypervisor gave to other guests: what a figure could not use.
            m.put("machine_busy_cores", round((machine.busySeconds() - machine0.busySeconds()) / wall));
            m.put("machine_idle_cores", round((machine.idleSeconds() - machine0.idleSeconds()) / wall));
            m.put("machine_steal_cores", round((machine.stealSeconds() - machine0.stealSeconds()) / wall));
        }
        m.put("load_avg_1m_start", load0);
        m.put("load_avg_1m_end", Machine.loadAverage1());
        ctx.sampleLoad();
        return m;
    }

    /** Thread groups' CPU in cores, busiest first, leaving out those under 0.01. */
    static Map<String, Double> byThread(Map<String, Double> cpuSeconds, double wall) {
        Map<String, Double> cores = new LinkedHashMap<>();
        cpuSeconds.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> {
                    double c = round(e.getValue() / wall);
                    if (c >= 0.01) cores.put(e.getKey(), c);
                });
        return cores;
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
