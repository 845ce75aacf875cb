/**
 * The benchmark harness behind {@code bin/eddy bench}: it starts an Eddy server, a throwaway PostgreSQL 15
 * cluster and a Redis 7 server, runs the scenarios P1–P6 of the benchmark issue against Eddy and its peers
 * side by side, and writes the figures to the terminal, {@code bench/results/<timestamp>.md} and
 * {@code bench/results/latest.json}.
 *
 * <p>{@link io.eddy.bench.BenchMain} parses the command line into a {@link io.eddy.bench.BenchConfig};
 * {@link io.eddy.bench.BenchRun} owns the processes and runs the scenarios. Subpackages: {@code env} (the
 * processes and machine readings), {@code client} (Eddy's HTTP/2 client and Redis's RESP client),
 * {@code workload} (documents, open-loop schedules, latency recording), {@code peer} (the PostgreSQL and
 * Redis baselines), {@code scenario} (one class per figure) and {@code report} (the output files).
 */
package io.eddy.bench;
