package io.eddy.bench;

import io.eddy.bench.BenchConfig.Mode;
import io.eddy.bench.BenchConfig.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code bin/eddy bench [--quick | --smoke] [--scenario p1,p2,...] [--server-opts "..."] [--jfr] [--no-peers] [--out DIR]}.
 * Exit status: 0 when every figure of the chosen scenarios was produced, 1 otherwise, 2 on bad usage.
 */
public final class BenchMain {
    static final String USAGE = """
            usage: bin/eddy bench [--quick | --smoke | --full] [--scenario p1,p2,p3,p4,p5,p6,extra] [--server-opts "JVM OPTS"]
                                  [--jfr] [--no-peers] [--out DIR]
              --full          the issue's parameters (default; under 30 minutes)
              --quick         scaled down, under 3 minutes
              --smoke         seconds, tiny M: checks that every figure is produced (CI)
              --scenario      run only these (repeatable or comma-separated); default: all
              --server-opts   extra JVM options for the Eddy server (EDDY_JAVA_OPTS is passed too)
              --jfr           record the server with JFR (eddy-bench/target/jfr/server-<millis>.jfr, or into --out)
              --no-peers      Eddy only, no PostgreSQL or Redis (their figures are left out; for comparing builds)
              --out DIR       results folder (default: bench/results)
            Starts an Eddy server, a throwaway PostgreSQL 15 cluster and Redis itself (apt-get installs redis-server
            if missing), writes bench/results/<timestamp>.md and bench/results/latest.json, and stops them all.""";

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        BenchConfig config;
        try {
            config = parse(args, repoHome());
        } catch (IllegalArgumentException e) {
            System.err.println("eddy bench: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (config == null) {
            System.out.println(USAGE);
            return;
        }
        BenchRun.Outcome outcome = new BenchRun(config, "bin/eddy bench " + String.join(" ", args)).run(System.out);
        System.exit(outcome.missingKeys().isEmpty() ? 0 : 1);
    }

    /** The repository root: {@code -Deddy.home}, else the working directory's nearest ancestor with eddy-cli/. */
    static Path repoHome() {
        String prop = System.getProperty("eddy.home");
        if (prop != null) return Path.of(prop).toAbsolutePath();
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.isDirectory(q.resolve("eddy-cli"))) return q;
        }
        return p;
    }

    /** Parses the arguments; null for {@code --help}. */
    public static BenchConfig parse(String[] args, Path home) {
        Mode mode = Mode.FULL;
        Set<Scenario> scenarios = EnumSet.noneOf(Scenario.class);
        List<String> serverOpts = new ArrayList<>();
        Path out = null;
        boolean jfr = false;
        boolean peers = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> mode = Mode.QUICK;
                case "--smoke" -> mode = Mode.SMOKE;
                case "--full" -> mode = Mode.FULL;
                case "--jfr" -> jfr = true;
                case "--no-peers" -> peers = false;
                case "-h", "--help" -> {
                    return null;
                }
                case "--scenario", "--server-opts", "--out" -> {
                    if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                    String v = args[++i];
                    if (a.equals("--scenario")) {
                        for (String s : v.split(",")) {
                            if (s.isBlank()) continue;
                            try {
                                scenarios.add(Scenario.valueOf(s.trim().toUpperCase(Locale.ROOT)));
                            } catch (IllegalArgumentException e) {
                                throw new IllegalArgumentException("unknown scenario " + s + " (p1..p6, extra)");
                            }
                        }
                    } else if (a.equals("--server-opts")) {
                        for (String o : v.trim().split("\\s+")) if (!o.isEmpty()) serverOpts.add(o);
                    } else {
                        out = Path.of(v).toAbsolutePath();
                    }
                }
                default -> throw new IllegalArgumentException("unknown argument " + a);
            }
        }
        BenchConfig c = BenchConfig.forMode(mode, scenarios, home, serverOpts);
        if (jfr) {
            // not into bench/results by default: recordings are large and not for committing
            Path dir = out != null ? out : home.resolve("eddy-bench").resolve("target").resolve("jfr");
            List<String> opts = new ArrayList<>(serverOpts);
            opts.add("-XX:StartFlightRecording=filename=" + dir.resolve("server-" + System.currentTimeMillis() + ".jfr")
                    + ",settings=profile,dumponexit=true");
            serverOpts = opts;
        }
        if (out != null || jfr || !peers) {
            c = new BenchConfig(c.mode(), c.scenarios(), c.repoHome(), out != null ? out : c.resultsDir(), serverOpts, peers,
                    c.streamsPerConnection(), c.payloadBytes(), c.p1(), c.p2(), c.p3(), c.p4(), c.p5(), c.p6(), c.extra());
        }
        return c;
    }
}
