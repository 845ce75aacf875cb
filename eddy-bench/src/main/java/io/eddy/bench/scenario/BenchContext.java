package io.eddy.bench.scenario;

import io.eddy.bench.BenchConfig;
import io.eddy.bench.client.EddyClient;
import io.eddy.bench.client.Net;
import io.eddy.bench.client.StreamPool;
import io.eddy.bench.env.EddyServer;
import io.eddy.bench.env.Machine;
import io.eddy.bench.env.PostgresCluster;
import io.eddy.bench.env.RedisServer;
import io.eddy.bench.workload.Doc;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the scenarios share: the configuration, the client event loops, the running Eddy server with a
 * query client, and the peers (null when no chosen scenario needs them). Also samples the load average
 * every few seconds for the report.
 */
public final class BenchContext {
    private final BenchConfig config;
    private final Net net;
    private final EddyServer eddy;
    private final EddyClient client;
    private final PostgresCluster pg;
    private final RedisServer redis;
    private final String payload;
    private final List<Double> loadSamples = new ArrayList<>();

    public BenchContext(BenchConfig config, Net net, EddyServer eddy, EddyClient client, PostgresCluster pg, RedisServer redis) {
        this.config = config;
        this.net = net;
        this.eddy = eddy;
        this.client = client;
        this.pg = pg;
        this.redis = redis;
        this.payload = Doc.payload(config.payloadBytes());
    }

    public BenchConfig config() { return config; }

    public Net net() { return net; }

    public EddyServer eddy() { return eddy; }

    public EddyClient client() { return client; }

    public PostgresCluster pg() {
        if (pg == null) throw new IllegalStateException("PostgreSQL was not started");
        return pg;
    }

    public RedisServer redis() {
        if (redis == null) throw new IllegalStateException("Redis was not started");
        return redis;
    }

    public boolean hasPostgres() { return pg != null; }

    public boolean hasRedis() { return redis != null; }

    /** The document payload, {@code payloadBytes} long. */
    public String payload() { return payload; }

    double eddyCpu() { return eddy.cpuSeconds(); }

    /**
     * Waits (at most {@code maxSeconds}) until the server is quiet: under {@code cores} of CPU over
     * half a second, as after a bulk write once RocksDB's flushes and compactions are done. Returns the
     * seconds waited.
     */
    double awaitQuietServer(double cores, double maxSeconds) throws InterruptedException {
        return awaitQuiet(cores, maxSeconds, false);
    }

    /**
     * Lets the machine settle before a scenario, so that it does not measure what the one before left
     * behind: PostgreSQL writes out its dirty buffers ({@code CHECKPOINT}), then Eddy and PostgreSQL
     * are each waited for (at most {@code maxSeconds}) until they use under 0.1 cores over half a
     * second (RocksDB's flushes and compactions, PostgreSQL's background writers). Returns the seconds
     * it took.
     */
    public double settle(double maxSeconds) throws Exception {
        long t0 = System.nanoTime();
        if (pg != null) pg.checkpoint();
        double left = maxSeconds - (System.nanoTime() - t0) / 1e9;
        awaitQuiet(0.1, Math.max(0, left), true);
        return Phase.round((System.nanoTime() - t0) / 1e9);
    }

    /** Waits until Eddy (and PostgreSQL, if asked) each use under {@code cores} over half a second. */
    private double awaitQuiet(double cores, double maxSeconds, boolean withPostgres) throws InterruptedException {
        long t0 = System.nanoTime();
        double eddyBefore = eddyCpu(), pgBefore = withPostgres ? pgCpu() : 0;
        while ((System.nanoTime() - t0) / 1e9 < maxSeconds) {
            Thread.sleep(500);
            double eddyNow = eddyCpu(), pgNow = withPostgres ? pgCpu() : 0;
            if ((eddyNow - eddyBefore) / 0.5 < cores && (pgNow - pgBefore) / 0.5 < cores) break;
            eddyBefore = eddyNow;
            pgBefore = pgNow;
        }
        return Phase.round((System.nanoTime() - t0) / 1e9);
    }

    double pgCpu() { return pg == null ? 0 : pg.cpuSeconds(); }

    double redisCpu() { return redis == null ? 0 : redis.cpuSeconds(); }

    /** Records the current 1-minute load average. */
    public synchronized void sampleLoad() {
        double l = Machine.loadAverage1();
        if (!Double.isNaN(l)) loadSamples.add(l);
    }

    public synchronized List<Double> loadSamples() { return List.copyOf(loadSamples); }

    /**
     * Creates collection {@code name} with index {@code byOwner} on {@code .owner}; with
     * {@code statusValues}, the index also covers {@code .status} (needed by {@code changesOn(.status)}).
     */
    public void createCollection(String name, boolean statusValues) throws IOException {
        String values = statusValues ? ", values: [{ field: \".status\" }]" : "";
        client.query("Collection.create({ name: \"" + name + "\", indexes: { byOwner: { terms: [{ field: \".owner\" }]"
                + values + " } } })");
    }

    /** A new pool of streams over this context's server. */
    public StreamPool streamPool() {
        return new StreamPool(client, config.streamsPerConnection());
    }
}
