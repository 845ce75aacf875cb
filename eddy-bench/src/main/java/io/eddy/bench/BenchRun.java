package io.eddy.bench;

import io.eddy.bench.BenchConfig.Scenario;
import io.eddy.bench.client.EddyClient;
import io.eddy.bench.client.Net;
import io.eddy.bench.env.EddyServer;
import io.eddy.bench.env.Machine;
import io.eddy.bench.env.PostgresCluster;
import io.eddy.bench.env.RedisServer;
import io.eddy.bench.report.Figures;
import io.eddy.bench.report.Report;
import io.eddy.bench.scenario.BenchContext;
import io.eddy.bench.scenario.CreateRatioScenario;
import io.eddy.bench.scenario.DeliveryScenario;
import io.eddy.bench.scenario.FanoutScenario;
import io.eddy.bench.scenario.FeedReplayScenario;
import io.eddy.bench.scenario.FilterScenario;
import io.eddy.bench.scenario.IdleHeapScenario;
import io.eddy.bench.scenario.Results;
import io.eddy.bench.scenario.WriteTaxScenario;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One benchmark run: starts Eddy (and PostgreSQL and Redis when a chosen scenario needs them), runs the
 * scenarios in order, stops everything, and writes the report. A scenario that fails leaves its figures
 * out (null in {@code latest.json}) and a note; the others still run.
 */
public final class BenchRun {
    private static final Logger log = LoggerFactory.getLogger(BenchRun.class);
    /**
     * The longest wait for the machine to settle before a scenario ({@code BenchContext.settle}): long
     * enough for a checkpoint after PostgreSQL's bulk phases and RocksDB's compactions after Eddy's.
     */
    static final double SETTLE_MAX_SECONDS = 30;

    /** What a run produced. */
    public record Outcome(Results results, Path markdown, Path json, List<String> missingKeys) {}

    private final BenchConfig config;
    private final String command;

    public BenchRun(BenchConfig config, String command) {
        this.config = config;
        this.command = command;
    }

    public Outcome run(PrintStream out) throws Exception {
        long started = System.nanoTime();
        String timestamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss", Locale.ROOT));
        Results results = new Results();
        java.nio.file.Files.createDirectories(config.resultsDir()); // also where --jfr writes
        Map<String, Object> runInfo = new LinkedHashMap<>();
        runInfo.put("timestamp", timestamp);
        runInfo.put("machine", Machine.describe());
        runInfo.put("load_avg_at_start", Machine.loadAverages());
        runInfo.put("command", command);
        out.println("eddy bench: " + config.mode().name().toLowerCase(Locale.ROOT) + " run of " + config.scenarios()
                + " on " + Machine.describe());
        out.println("eddy bench: load average at start " + Machine.loadAverages()
                + (Machine.loadAverage1() > 0.5 ? " (the machine is busy: figures will be noisy)" : ""));

        boolean needPg = config.peers() && (config.runs(Scenario.P1) || config.runs(Scenario.P2) || config.runs(Scenario.P5)
                || config.runs(Scenario.P6) || config.runs(Scenario.EXTRA));
        boolean needRedis = config.peers() && (config.runs(Scenario.P3) || config.runs(Scenario.P4));
        int maxStreams = Math.max(Math.max(config.p1().streams(), config.p3().subscribers()), config.p4().streams());
        BenchContext[] holder = new BenchContext[1];
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-sampler");
            t.setDaemon(true);
            return t;
        });
        // if the harness is interrupted (Ctrl-C, SIGTERM), still stop the processes it started
        List<AutoCloseable> running = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread stopper = new Thread(() -> {
            synchronized (running) {
                for (int i = running.size() - 1; i >= 0; i--) {
                    try {
                        running.get(i).close();
                    } catch (Exception ignored) {
                        // stopping anyway
                    }
                }
            }
        }, "bench-stop-processes");
        Runtime.getRuntime().addShutdownHook(stopper);
        try (Net net = new Net(2);
             EddyServer eddy = register(running, EddyServer.start(config.repoHome(), config.serverJavaOpts()));
             PostgresCluster pg = needPg ? register(running, PostgresCluster.start(300)) : null;
             RedisServer redis = needRedis ? register(running, RedisServer.start(maxStreams + 1000)) : null;
             EddyClient client = new EddyClient(net, "127.0.0.1", eddy.port(), EddyServer.SECRET, 4)) {
            BenchContext ctx = new BenchContext(config, net, eddy, client, pg, redis);
            holder[0] = ctx;
            sampler.scheduleAtFixedRate(ctx::sampleLoad, 0, 5, TimeUnit.SECONDS);
            runInfo.put("eddy_transport", "HTTP/2 prior knowledge (h2c), Netty " + net.transport());
            if (pg != null) runInfo.put("postgres_server_version", version(pg::serverVersion));
            if (redis != null) runInfo.put("redis_server_version", version(RedisServer::version));
            for (io.eddy.bench.scenario.Scenario s : scenarios()) {
                out.println("eddy bench: " + s.title() + " ...");
                long t0 = System.nanoTime();
                try {
                    results.details(s.name()).put("settle_s", ctx.settle(SETTLE_MAX_SECONDS));
                    s.run(ctx, results);
                } catch (Exception | AssertionError e) {
                    log.error("{} failed", s.name(), e);
                    results.note(s.name() + " failed: " + e);
                    results.details(s.name()).put("failure", e.toString());
                }
                results.details(s.name()).put("scenario_wall_s", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
                out.println("eddy bench:   done in " + Math.round((System.nanoTime() - t0) / 1e9) + " s; load " + Machine.loadAverages());
                if (!eddy.isAlive()) {
                    results.note("the Eddy server died during " + s.name() + "; see " + eddy.logFile());
                    break;
                }
            }
        } finally {
            sampler.shutdownNow();
            running.clear(); // closed by try-with-resources
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        List<Double> samples = holder[0] == null ? List.of() : holder[0].loadSamples();
        runInfo.put("load_avg_at_end", Machine.loadAverages());
        runInfo.put("load_avg_samples_1m", samples);
        runInfo.put("load_avg_summary", loadSummary(samples));
        runInfo.put("duration_s", Math.round((System.nanoTime() - started) / 1e9));
        Report report = new Report(config, results, runInfo);
        Path md = report.write(timestamp);
        Path doc = config.repoHome().resolve("BENCHMARKS.md");
        boolean defaultResults = config.resultsDir().equals(config.repoHome().resolve("bench").resolve("results"));
        if (config.mode() == BenchConfig.Mode.FULL && config.peers() && config.scenarios().size() == Scenario.values().length && defaultResults
                && java.nio.file.Files.isRegularFile(doc)
                && io.eddy.bench.report.BenchmarksDoc.update(doc, config.resultsDir().resolve("latest.json"))) {
            out.println("eddy bench: updated the latest figures in " + doc);
        }
        report.print(out);
        List<String> missing = new ArrayList<>();
        Map<String, Double> figures = results.figures();
        for (String key : Figures.requiredKeys(config.scenarios(), config.peers())) {
            Double v = figures.get(key);
            if (v == null || !Double.isFinite(v)) missing.add(key);
        }
        out.println();
        out.println("eddy bench: wrote " + md + " and " + config.resultsDir().resolve("latest.json"));
        if (!missing.isEmpty()) out.println("eddy bench: MISSING figures: " + missing);
        if (config.mode() == BenchConfig.Mode.SMOKE) {
            // the plain closing line CI reads: one "test" per figure that must be produced
            int required = Figures.requiredKeys(config.scenarios(), config.peers()).size();
            out.println("bench-smoke: " + (required - missing.size()) + " passed, " + missing.size() + " failed");
        }
        return new Outcome(results, md, config.resultsDir().resolve("latest.json"), missing);
    }

    /** A peer's version, or why it could not be read (the run goes on without it). */
    private static String version(java.util.concurrent.Callable<String> read) {
        try {
            return read.call();
        } catch (Exception e) {
            log.warn("could not read a peer's version", e);
            return "unknown (" + e + ")";
        }
    }

    private static <T extends AutoCloseable> T register(List<AutoCloseable> started, T resource) {
        started.add(resource);
        return resource;
    }

    private List<io.eddy.bench.scenario.Scenario> scenarios() {
        List<io.eddy.bench.scenario.Scenario> list = new ArrayList<>();
        list.add(new io.eddy.bench.scenario.WarmUp(switch (config.mode()) {
            case SMOKE -> 1;
            case QUICK -> 3;
            case FULL -> 20;
        }));
        if (config.runs(Scenario.P1)) list.add(new WriteTaxScenario());
        if (config.runs(Scenario.P2)) list.add(new DeliveryScenario());
        if (config.runs(Scenario.P3)) list.add(new FanoutScenario());
        if (config.runs(Scenario.P4)) list.add(new IdleHeapScenario());
        if (config.runs(Scenario.P5)) list.add(new FeedReplayScenario());
        if (config.runs(Scenario.P6)) list.add(new CreateRatioScenario());
        if (config.runs(Scenario.EXTRA)) list.add(new FilterScenario());
        return list;
    }

    private static String loadSummary(List<Double> samples) {
        if (samples.isEmpty()) return "n/a";
        double min = samples.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double max = samples.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double mean = samples.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return String.format(Locale.ROOT, "mean %.2f, min %.2f, max %.2f (%d samples, 2 cores)", mean, min, max, samples.size());
    }
}
