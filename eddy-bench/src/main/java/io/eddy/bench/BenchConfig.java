package io.eddy.bench;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a run needs, fixed before anything starts: which scenarios, at what scale, and where the
 * output goes. {@link #forMode} gives the three presets; the full preset uses the numbers.
 *
 * @param mode the preset the parameters came from (recorded in the output)
 * @param scenarios the scenarios to run, in {@link Scenario} order
 * @param repoHome the repository root (for {@code eddy-cli/target} and {@code bench/results})
 * @param resultsDir where {@code <timestamp>.md} and {@code latest.json} are written
 * @param serverJavaOpts extra JVM options for the Eddy server (e.g. a JFR recording), besides {@code EDDY_JAVA_OPTS}
 * @param peers whether PostgreSQL and Redis run beside Eddy (off: Eddy's figures only, for quick comparisons of builds)
 * @param streamsPerConnection HTTP/2 streams the client opens per connection; below the server's
 *     {@code maxConcurrentStreams} (256 by default)
 * @param payloadBytes size of each document's {@code payload} string
 * @param p1 write tax: streams, writers, duration
 * @param p2 delivery latency: streams, write rate, duration
 * @param p3 fan-out: subscribers and the rate ladder
 * @param p4 idle stream heap: streams
 * @param p5 feed replay: history size and page size
 * @param p6 create ratio: clients and duration
 * @param extra the extra delivery runs for filters F2–F5 (not in the figure table)
 */
public record BenchConfig(Mode mode, Set<Scenario> scenarios, Path repoHome, Path resultsDir, List<String> serverJavaOpts, boolean peers,
                          int streamsPerConnection, int payloadBytes, P1 p1, P2 p2, P3 p3, P4 p4, P5 p5, P6 p6,
                          Extra extra) {

    /** The parameter presets. */
    public enum Mode { SMOKE, QUICK, FULL }

    /** The scenarios, one per figure, plus the extra filter runs. */
    public enum Scenario { P1, P2, P3, P4, P5, P6, EXTRA }

    /**
     * P1: closed-loop durable creates with no stream and with {@code streams} live F1 streams, alternating
     * {@code rounds} times (none, with, none, with, ..., none), each phase {@code seconds} long.
     */
    public record P1(int streams, int writers, int seconds, int rounds) {
        public P1 {
            if (rounds < 1) throw new IllegalArgumentException("rounds must be >= 1");
        }
    }

    /** P2: open-loop writes at {@code writesPerSecond} with {@code streams} live F1 streams. */
    public record P2(int streams, int writesPerSecond, int seconds) {}

    /**
     * P3: {@code subscribers} F2 subscribers; the write rate starts at {@code startRate} and grows by
     * {@code factor} each stage of {@code stageSeconds} until p99 reaches {@code p99BoundMs} or the rate
     * exceeds {@code maxRate}.
     */
    public record P3(int subscribers, double startRate, double maxRate, int stageSeconds, double p99BoundMs, double factor) {}

    /** P4: heap after GC with {@code streams} idle streams, minus with none. */
    public record P4(int streams) {}

    /** P5: replay {@code events} from history through {@code /feed/1} pages of {@code pageSize}. */
    public record P5(int events, int pageSize) {}

    /** P6: {@code clients} closed-loop clients doing single creates / single-row inserts for {@code seconds}. */
    public record P6(int clients, int seconds) {}

    /**
     * Extra: F2–F5 commit-to-delivery latency on Eddy and the logical-decoding peer, {@code streams}
     * subscribers at {@code writesPerSecond} (F2's capped at 100,000 events/s) for {@code seconds}.
     */
    public record Extra(int streams, int writesPerSecond, int seconds) {}

    public BenchConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(repoHome, "repoHome");
        Objects.requireNonNull(resultsDir, "resultsDir");
        scenarios = scenarios.isEmpty() ? EnumSet.noneOf(Scenario.class) : EnumSet.copyOf(scenarios);
        serverJavaOpts = List.copyOf(serverJavaOpts);
        if (streamsPerConnection < 1 || streamsPerConnection > 100_000) {
            throw new IllegalArgumentException("streamsPerConnection must be in 1..100000");
        }
        if (payloadBytes < 0 || payloadBytes > 16_000) throw new IllegalArgumentException("payloadBytes must be in 0..16000");
    }

    /** The preset for {@code mode}, running {@code scenarios} (all when empty). */
    public static BenchConfig forMode(Mode mode, Set<Scenario> scenarios, Path repoHome, List<String> serverJavaOpts) {
        Set<Scenario> chosen = scenarios.isEmpty() ? EnumSet.allOf(Scenario.class) : scenarios;
        Path results = repoHome.resolve("bench").resolve("results");
        return switch (mode) {
            case SMOKE -> new BenchConfig(mode, chosen, repoHome, results, serverJavaOpts, true, 250, 200,
                    new P1(20, 4, 2, 1), new P2(20, 200, 2), new P3(20, 10, 20, 1, 100, 2), new P4(50),
                    new P5(2_000, 16_000), new P6(4, 2), new Extra(10, 100, 1));
            // P3 starts at 40 writes/s (80,000 events/s to 2,000 subscribers): two fewer 2 s stages a side than 10
            case QUICK -> new BenchConfig(mode, chosen, repoHome, results, serverJavaOpts, true, 250, 200,
                    new P1(2_000, 16, 4, 1), new P2(500, 2_000, 6), new P3(2_000, 40, 1_280, 2, 100, 2), new P4(2_000),
                    new P5(100_000, 16_000), new P6(16, 4),
                    // two sides (Eddy, the logical peer) of four filters: short phases keep --quick under 3 minutes
                    new Extra(200, 500, 2));
            case FULL -> new BenchConfig(mode, chosen, repoHome, results, serverJavaOpts, true, 250, 200,
                    new P1(10_000, 16, 10, 2), new P2(1_000, 5_000, 30), new P3(10_000, 2, 1_280, 5, 100, 1.5),
                    new P4(10_000), new P5(500_000, 16_000), new P6(16, 20), new Extra(1_000, 1_000, 10));
        };
    }

    public boolean runs(Scenario s) { return scenarios.contains(s); }
}
