package io.eddy.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WriteRoundsTest {
    /** What reaches the socket end of the pipeline: written messages and "|" for each flush. */
    private final List<String> wire = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            wire.add(((io.netty.buffer.ByteBuf) msg).toString(StandardCharsets.UTF_8));
            ReferenceCountUtil.release(msg);
            promise.setSuccess();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            wire.add("|");
        }
    });
    private final WriteRounds rounds = new WriteRounds(channel);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /** A stream that writes {@code perRun} of its events per run and asks again while some remain. */
    private final class Producer implements WriteRounds.Stream {
        final String name;
        final int perRun;
        int left;
        int aborted;

        Producer(String name, int events, int perRun) {
            this.name = name;
            this.left = events;
            this.perRun = perRun;
        }

        @Override
        public void runProducer() {
            assertThat(rounds.inRound()).isTrue();
            for (int i = 0; i < perRun && left > 0; i++, left--) {
                // Through the pipeline: EmbeddedChannel.write itself would run queued tasks (the next
                // round) in the middle of this one.
                channel.pipeline().write(Unpooled.copiedBuffer(name + left, StandardCharsets.UTF_8));
            }
            if (left > 0) {
                rounds.request(this);
            }
        }

        @Override
        public void abort() {
            aborted++;
        }
    }

    @Test
    void streamsThatAskedShareOneFlushPerRound() {
        for (String name : List.of("a", "b", "c")) {
            rounds.request(new Producer(name, 1, 1));
        }
        assertThat(wire).isEmpty();
        channel.runPendingTasks();
        assertThat(wire).containsExactly("a1", "b1", "c1", "|");
        assertThat(rounds.inRound()).isFalse();
    }

    @Test
    void aStreamThatAsksAgainRunsAfterTheFlushSoEachOfItsEventsHasItsOwnSocketWrite() {
        rounds.request(new Producer("j", 3, 1));
        rounds.request(new Producer("x", 1, 1));
        channel.runPendingTasks();
        // A one-event-per-run stream never has two of its events inside one flush.
        assertThat(String.join(" ", wire)).isEqualTo("j3 x1 | j2 | j1 |");
    }

    @Test
    void requestsWhileARoundIsQueuedCoalesceIntoThatRound() {
        AtomicInteger runs = new AtomicInteger();
        WriteRounds.Stream counting = new WriteRounds.Stream() {
            @Override public void runProducer() { runs.incrementAndGet(); }
            @Override public void abort() { }
        };
        rounds.request(counting);
        rounds.request(new Producer("p", 1, 1));
        channel.runPendingTasks();
        assertThat(runs).hasValue(1);
        assertThat(wire).containsExactly("p1", "|");
    }

    @Test
    void aFailingProducerIsAbortedAndTheOthersStillRunAndFlush() {
        Producer ok = new Producer("ok", 1, 1);
        int[] aborted = {0};
        rounds.request(new WriteRounds.Stream() {
            @Override public void runProducer() { throw new IllegalStateException("bug"); }
            @Override public void abort() { aborted[0]++; }
        });
        rounds.request(ok);
        channel.runPendingTasks();
        assertThat(aborted[0]).isEqualTo(1);
        assertThat(wire).containsExactly("ok1", "|");
        assertThat(ok.aborted).isZero();
    }

    /** Within a delivery batch, rounds wait for its end: one commit's streams go out in one round. */
    @Test
    void aDeliveryBatchSchedulesOneRoundWhenItEnds() {
        WriteRoundBatching.INSTANCE.begin();
        try {
            rounds.request(new Producer("a", 1, 1));
            channel.runPendingTasks();
            assertThat(wire).as("no round while the batch is open").isEmpty();
            rounds.request(new Producer("b", 1, 1));
        } finally {
            WriteRoundBatching.INSTANCE.end();
        }
        channel.runPendingTasks();
        assertThat(wire).containsExactly("a1", "b1", "|");
        // Outside a batch, a request schedules its round at once.
        rounds.request(new Producer("c", 1, 1));
        channel.runPendingTasks();
        assertThat(wire).containsExactly("a1", "b1", "|", "c1", "|");
    }

    @Test
    void sharedBytesAreCopiedOncePerRoundAndReleasedWithTheirWrites() {
        byte[] event = "{\"type\":\"add\"}\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] other = "{\"type\":\"update\"}\r\n".getBytes(StandardCharsets.UTF_8);
        List<io.netty.buffer.ByteBuf> handedOut = new ArrayList<>();
        WriteRounds.Stream sharer = new WriteRounds.Stream() {
            @Override
            public void runProducer() {
                for (byte[] b : List.of(event, other, event)) {
                    io.netty.buffer.ByteBuf buf = rounds.shared(b);
                    handedOut.add(buf);
                    channel.pipeline().write(buf.retain()); // the handler releases the written reference
                }
            }

            @Override
            public void abort() {
            }
        };
        rounds.request(sharer);
        channel.runPendingTasks();
        io.netty.buffer.ByteBuf first = handedOut.get(0);
        try {
            assertThat(wire).containsExactly("{\"type\":\"add\"}\r\n", "{\"type\":\"update\"}\r\n", "{\"type\":\"add\"}\r\n", "|");
            // One copy per distinct array in the round, in direct memory; every write a duplicate of it.
            assertThat(first.isDirect()).isTrue();
            assertThat(first.hasMemoryAddress()).isTrue();
            assertThat(handedOut.get(2).memoryAddress()).isEqualTo(first.memoryAddress());
            assertThat(handedOut.get(1).memoryAddress()).isNotEqualTo(first.memoryAddress());
            assertThat(first.refCnt()).as("the round's own reference is gone; two handed-out ones remain").isEqualTo(2);
        } finally {
            handedOut.forEach(io.netty.buffer.ByteBuf::release);
        }
        assertThat(first.refCnt()).isZero();
        // Outside a round: a plain wrapper over the same array.
        io.netty.buffer.ByteBuf wrapped = rounds.shared(event);
        assertThat(wrapped.isDirect()).isFalse();
        assertThat(wrapped.array()).isSameAs(event);
        wrapped.release();
    }
}
