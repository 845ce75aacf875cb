package io.eddy.cli;

import io.eddy.core.storage.Store;
import io.eddy.core.storage.StoreConfig;
import io.eddy.fql.EngineConfig;
import io.eddy.fql.FqlEngine;
import io.eddy.server.EddyHttpServer;
import io.eddy.server.ServerConfig;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code eddy serve}: opens the store in the data folder and serves Fauna's HTTP protocol until SIGTERM
 * or SIGINT, then stops accepting, lets in-flight requests and commits finish, and closes the store.
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

    @Option(names = "--history-retention", description = "Minimum change-log history kept, ISO-8601 duration (default: ${DEFAULT-VALUE}).",
            defaultValue = "PT24H")
    Duration historyRetention;

    @Override
    public Integer call() throws Exception {
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
        Files.createDirectories(data);
        Store store = Store.open(new StoreConfig(data.resolve("db"), historyRetention, 1024, Clock.systemUTC()));
        FqlEngine engine = new FqlEngine(store, new EngineConfig(EngineConfig.loadOrCreateKey(data), Clock.systemUTC()));
        EddyHttpServer server = new EddyHttpServer(ServerConfig.defaults(secret).withHost(host).withPort(port), engine);
        int bound;
        try {
            bound = server.start();
        } catch (Exception e) {
            store.close();
            System.err.println("eddy: cannot listen on " + host + ":" + port + ": " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down: no new connections; finishing in-flight requests");
            try {
                server.close();
            } finally {
                store.close();
                log.info("store closed cleanly");
                stopped.countDown();
            }
        }, "eddy-shutdown"));
        String shownHost = host.contains(":") ? "[" + host + "]" : host;
        System.out.println("Eddy serving at http://" + shownHost + ":" + bound);
        System.out.flush();
        stopped.await();
        return 0;
    }
}
