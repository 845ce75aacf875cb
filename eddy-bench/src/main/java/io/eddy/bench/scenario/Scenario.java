package io.eddy.bench.scenario;

/** A measurement: runs against the context's targets and puts its figures and details in the results. */
public interface Scenario {
    /** Short name used in the output ("p1", ...). */
    String name();

    /** One line: what the figure measures. */
    String title();

    void run(BenchContext ctx, Results results) throws Exception;
}
