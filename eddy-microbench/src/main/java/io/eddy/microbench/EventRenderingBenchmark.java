package io.eddy.microbench;

import io.eddy.server.endpoint.FeedHttpResponse;
import io.eddy.server.endpoint.StreamHttpResponse;
import io.eddy.stream.event.Event;
import io.eddy.stream.feed.FeedPage;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wire form of events around stored documents (the P-benchmarks' document shape): one stream event
 * ({@code StreamHttpResponse.encode}, done once per event and shared by its subscribers) and a feed page
 * of 1,000 events rendered on one thread ({@code FeedHttpResponse.render}). Scores are per event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class EventRenderingBenchmark {
    private static final int PAGE = 1_000;

    private List<Event> events;
    private FeedPage page;
    private int next;

    @Setup
    public void setUp() {
        events = Documents.storedEvents(PAGE);
        page = new FeedPage(events, "cursor", true);
    }

    @Benchmark
    public byte[] streamEvent() {
        Event e = events.get(next);
        next = (next + 1) % PAGE;
        return StreamHttpResponse.encode(e);
    }

    @Benchmark
    @OperationsPerInvocation(PAGE)
    public int feedPage() throws IOException {
        FullHttpResponse r = FeedHttpResponse.render(PooledByteBufAllocator.DEFAULT, page, 0);
        int bytes = r.content().readableBytes();
        r.release();
        return bytes;
    }
}
