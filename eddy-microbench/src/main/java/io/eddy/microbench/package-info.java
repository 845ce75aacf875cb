/**
 * JMH microbenchmarks of Eddy's hot paths, in process, through the public API (the end-to-end figures
 * are {@code eddy-bench}'s, over the wire). Run with {@code bin/eddy microbench [JMH options]}.
 *
 * <ul>
 *   <li>{@link io.eddy.microbench.EventRenderingBenchmark}: one stream event's wire form, and a feed page
 *       of 1,000 events, per event.</li>
 *   <li>{@link io.eddy.microbench.ChangeLogReadBenchmark}: one collection's history from the change log,
 *       for a busy collection and for a quiet one among it.</li>
 *   <li>{@code Documents}: the document shape of the benchmarks ({@code owner, status, score, payload,
 *       sent_ns}).</li>
 * </ul>
 */
package io.eddy.microbench;
