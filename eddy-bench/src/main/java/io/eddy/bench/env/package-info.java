/**
 * The processes a run starts and stops itself ({@link io.eddy.bench.env.EddyServer},
 * {@link io.eddy.bench.env.PostgresCluster}, {@link io.eddy.bench.env.RedisServer}), installing missing
 * Debian packages through {@link io.eddy.bench.env.Packages}, and what is read off the machine
 * ({@link io.eddy.bench.env.Machine}: load average, CPU time of a process tree).
 */
package io.eddy.bench.env;
