/**
 * One class per figure of the benchmark issue, each measuring Eddy and its peers side by side within one
 * run: {@link io.eddy.bench.scenario.WriteTaxScenario} (P1), {@link io.eddy.bench.scenario.DeliveryScenario}
 * (P2), {@link io.eddy.bench.scenario.FanoutScenario} (P3), {@link io.eddy.bench.scenario.IdleHeapScenario}
 * (P4), {@link io.eddy.bench.scenario.FeedReplayScenario} (P5), {@link io.eddy.bench.scenario.CreateRatioScenario}
 * (P6), and {@link io.eddy.bench.scenario.FilterScenario} (delivery under F2–F5, beyond the table). They
 * share a {@link io.eddy.bench.scenario.BenchContext} and write into {@link io.eddy.bench.scenario.Results}.
 */
package io.eddy.bench.scenario;
