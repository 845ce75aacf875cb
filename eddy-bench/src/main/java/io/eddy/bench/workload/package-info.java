/**
 * The workload W(N, M, F): documents {@code {owner, status, score, payload, sent_ns}}
 * ({@link io.eddy.bench.workload.Doc}), the filters F1–F5 ({@link io.eddy.bench.workload.Filter}),
 * open-loop writers that stamp the intended send time ({@link io.eddy.bench.workload.OpenLoop}, no
 * coordinated omission), closed-loop writers for throughput ({@link io.eddy.bench.workload.ClosedLoop}),
 * latency recording in HdrHistogram ({@link io.eddy.bench.workload.Latency}), and the late events' arrival
 * times, which tell a tail of stalls from a spread one ({@link io.eddy.bench.workload.LateEvents}).
 */
package io.eddy.bench.workload;
