package io.eddy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The stop runs once however many ask for it (the serving thread, then the JVM's shutdown hook). */
class GracefulShutdownTest {
    @Test void theStopRunsOnceWhenAskedTwice() {
        AtomicInteger stops = new AtomicInteger();
        GracefulShutdown shutdown = new GracefulShutdown(stops::incrementAndGet);
        shutdown.run();
        shutdown.run();
        assertThat(stops.get()).isEqualTo(1);
    }
}
