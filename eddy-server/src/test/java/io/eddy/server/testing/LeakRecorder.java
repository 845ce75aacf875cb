package io.eddy.server.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;

/** Collects Netty's {@code LEAK:} reports (logged by {@code ResourceLeakDetector}). */
public final class LeakRecorder extends AppenderBase<ILoggingEvent> {
    private static final List<String> LEAKS = new ArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
        String m = event.getFormattedMessage();
        if (m != null && m.contains("LEAK:")) {
            synchronized (LEAKS) {
                LEAKS.add(m);
            }
        }
    }

    /** Returns and clears the reports recorded so far. */
    public static List<String> drain() {
        synchronized (LEAKS) {
            List<String> copy = List.copyOf(LEAKS);
            LEAKS.clear();
            return copy;
        }
    }
}
