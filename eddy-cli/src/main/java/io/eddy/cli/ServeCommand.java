package io.eddy.cli;

import io.eddy.core.storage.Store;
import io.eddy.core.storage.StoreConfig;
import io.eddy.fql.EngineConfig;
import io.eddy.fql.FqlEngine;
import io.eddy.server.EddyHttpServer;
import io.eddy.server.ServerConfig;
import io.eddy.server.endpoint.StreamHttpResponse;
import io.eddy.stream.EventStreams;
import io.eddy.stream.StreamConfig;
import io.netty.util.ResourceLeakDetector;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eddy serve}: opens the store in the data folder and serves Fauna's HTTP protocol (queries,
 * event streams and feeds) until SIGTERM or SIGINT. Then, in this order: the HTTP server stops
 * accepting, ends open streams and lets in-flight requests finish; the stream engine stops; the
 * store finishes queued commits and closes, logging {@code store closed cleanly}; the process then
 * exits 0 ({@link GracefulShutdown}).
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Eddy server.")
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);
    static final String DEFAULT_SECRET = "secret";

    @Option(names = "--host", description = "Address to bind (default: ${DEFAULT-VALUE}).", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--port", description = "Port to bind; 0 picks a free one (default: ${DEFAULT-VALUE}).", defaultValue = "8443")
    int port;

    @Option(names = "--data", description = "Data folder (default: ${DEFAULT-VALUE}).", defaultValue = "./data")
    Path data;

    @Option(names = "--root-secret", description = "Root secret clients authenticate with (env EDDY_ROOT_SECRET; default: secret).")
    String rootSecret;

    @Option(names = "--max-streams-per-connection",
            description = "HTTP/2 requests and event streams a client may have open on one connection, 1..100000 (default: ${DEFAULT-VALUE}).",
            defaultValue = "256")
    int maxStreamsPerConnection;

    @Option(names = "--history-retention", description = "Minimum change-log history kept, ISO-8601 duration (default: ${DEFAULT-VALUE}).",
            defaultValue = "PT24H")
    Duration historyRetention;

    @Option(names = "--stream-queue-events", description = "Events buffered per stream subscriber before the stream "
            + "ends with stream_overflow (the client resumes from its cursor) (default: ${DEFAULT-VALUE}).", defaultValue = "1024")
    int streamQueueEvents;

    @Option(names = "--stream-dispatch-queue", description = "Group commits (synced writes of one or more transactions) "
            + "buffered between the commit path and the live stream dispatcher; when full, live streams overflow instead of commits waiting (default: ${DEFAULT-VALUE}).",
            defaultValue = "65536")
    int streamDispatchQueue;

    @Option(names = "--stream-heartbeat", description = "Idle time after which a stream sends a status event, ISO-8601 "
            + "duration (default: ${DEFAULT-VALUE}).", defaultValue = "PT5M")
    Duration streamHeartbeat;

    @Option(names = "--stream-replay-limit", description = "Most events a new stream replays from history before it ends "
            + "with stream_replay_volume_exceeded; 0 = unlimited, Fauna uses 128 (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int streamReplayLimit;

    @Option(names = "--stream-replay-page", description = "Change-log records read per step of stream replay and feeds "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "1024")
    int streamReplayPage;

    @Option(names = "--feed-read-ahead", description = "Feed pages read ahead of their request at once (a page that "
            + "has a next one starts reading it, so a client paging through history waits less), 0..64; 0 = off "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "" + StreamConfig.DEFAULT_FEED_READ_AHEAD_PAGES)
    int feedReadAhead;

    @Option(names = "--io-threads", description = "Network event-loop threads, 0..1024; 0 = one per core "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "0")
    int ioThreads;

    /**
     * Netty samples one buffer in 128 for leak tracking by default, recording a stack trace for each
     * sample when it is allocated and released: ~2.5% of the event loops' time serving writes. The tests
     * run with paranoid leak detection, so the server itself turns the sampling off unless Netty's own
     * property asks for a level.
     */
    private static void disableLeakSamplingUnlessAsked() {
        if (System.getProperty("io.netty.leakDetection.level") == null
                && System.getProperty("io.netty.leakDetectionLevel") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }

    @Override
    public Integer call() throws Exception {
        disableLeakSamplingUnlessAsked();
        String secret = rootSecret != null ? rootSecret : System.getenv().getOrDefault("EDDY_ROOT_SECRET", DEFAULT_SECRET);
        if (secret.isBlank()) {
            System.err.println("eddy: the root secret must not be empty.");
            return 2;
        }
        if (secret.equals(DEFAULT_SECRET) && !InetAddress.getByName(host).isLoopbackAddress()) {
            System.err.println("eddy: refusing to listen on " + host + " with the default root secret `secret`; "
                    + "set --root-secret or EDDY_ROOT_SECRET, or bind 127.0.0.1.");
            return 2;
        }
        if (port < 0 || port > 65535) {
            System.err.println("eddy: --port must be between 0 and 65535.");
            return 2;
        }
        StreamConfig streamConfig;
        try {
            streamConfig = new StreamConfig(streamQueueEvents, streamDispatchQueue, streamHeartbeat, streamReplayLimit,
                    streamReplayPage, feedReadAhead);
        } catch (IllegalArgumentException e) {
            System.err.println("eddy: invalid stream setting: " + e.getMessage());
            return 2;
        }
        ServerConfig serverConfig;
        try {
            serverConfig = ServerConfig.defaults(secret).withHost(host).withPort(port)
                    .withMaxConcurrentStreams(maxStreamsPerConnection).withIoThreads(ioThreads);
        } catch (IllegalArgumentException e) {
            System.err.println("eddy: invalid server setting: " + e.getMessage());
            return 2;
        }
        Files.createDirectories(data);
        Store store = Store.open(new StoreConfig(data.resolve("db"), historyRetention, 1024, Clock.systemUTC(),
                StoreConfig.DEFAULT_WAL_PREFETCH_BYTES));
        FqlEngine engine = new FqlEngine(store, new EngineConfig(EngineConfig.loadOrCreateKey(data), Clock.systemUTC()));
        EventStreams streams = new EventStreams(store, engine, streamConfig, Clock.systemUTC(), StreamHttpResponse.encoder(),
                io.eddy.server.http.WriteRoundBatching.INSTANCE);
        EddyHttpServer server = new EddyHttpServer(serverConfig, engine, streams);
        int bound;
        try {
            bound = server.start();
        } catch (Exception e) {
            streams.close();
            store.close();
            System.err.println("eddy: cannot listen on " + host + ":" + port + ": " + e.getMessage());
            return 1;
        }
        GracefulShutdown shutdown = new GracefulShutdown(() -> {
            log.info("shutting down: no new connections; ending streams; finishing in-flight requests");
            try {
                server.close(); // ends open streams, so it does not wait out the grace period for them
            } finally {
                try {
                    streams.close(); // no subscribers left; stops the dispatcher before the store goes
                } finally {
                    store.close();
                    log.info("store closed cleanly");
                }
            }
        });
        shutdown.install();
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        System.out.println("Eddy serving at http://" + shownHost + ":" + bound);
        System.out.flush();
        shutdown.awaitStopSignal();
        shutdown.run();
        return 0;
    }
}
