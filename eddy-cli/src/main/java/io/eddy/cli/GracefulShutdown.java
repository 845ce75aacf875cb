package io.eddy.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The server's orderly stop, run exactly once, by whoever asks first: the serving thread after
 * SIGTERM or SIGINT, or a JVM shutdown hook for any other way out ({@code System.exit}, SIGHUP).
 *
 * <p>SIGTERM and SIGINT get handlers of their own rather than only the shutdown hook: the JVM
 * answers a signal it handles by default with exit status 143 (or 130) even when the hooks shut
 * down cleanly, so a supervisor could not tell a clean stop from a crash. With the handlers the
 * serving thread runs the stop and the process exits 0.
 */
final class GracefulShutdown {
    private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);
    private static final String[] STOP_SIGNALS = {"TERM", "INT"};

    private final Runnable stop;
    private final CountDownLatch requested = new CountDownLatch(1);
    private boolean done;

    /** {@code stop} closes everything in order; it runs once, in {@link #run}. */
    GracefulShutdown(Runnable stop) {
        this.stop = stop;
    }

    /** Installs the signal handlers and the shutdown hook. */
    void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::run, "eddy-shutdown"));
        for (String name : STOP_SIGNALS) {
            try {
                Signal.handle(new Signal(name), s -> requested.countDown());
            } catch (IllegalArgumentException e) {
                // the JVM keeps this signal (e.g. run with -Xrs): the shutdown hook still stops cleanly
                log.debug("SIG{} stays with the JVM's default handling: {}", name, e.getMessage());
            }
        }
    }

    /** Blocks until SIGTERM or SIGINT arrives. */
    void awaitStopSignal() throws InterruptedException {
        requested.await();
    }

    /** Runs the stop unless it already ran; a second caller waits for the first to finish. */
    synchronized void run() {
        if (done) return;
        done = true;
        stop.run();
    }
}
