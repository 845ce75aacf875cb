/**
 * The output of a run: the figure definitions with their targets ({@link io.eddy.bench.report.Figures}),
 * and {@link io.eddy.bench.report.Report}, which prints the terminal table and writes
 * {@code bench/results/<timestamp>.md} and {@code bench/results/latest.json}.
 */
package io.eddy.bench.report;
