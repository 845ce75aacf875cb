package io.eddy.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChunkedBufferOutputTest {
    private final PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    @Test
    void whatIsWrittenComesBackInOrderAcrossChunkBoundaries() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 20; round++) {
            byte[] expected = new byte[random.nextInt(0, 400_000)];
            random.nextBytes(expected);
            ChunkedBufferOutput out = new ChunkedBufferOutput(alloc);
            int at = 0;
            while (at < expected.length) {
                if (random.nextInt(10) == 0) {
                    out.write(expected[at++]);
                } else {
                    int n = Math.min(expected.length - at, random.nextInt(1, 20_000));
                    out.write(expected, at, n);
                    at += n;
                }
            }
            ByteBuf body = out.take();
            try {
                assertThat(ByteBufUtil.getBytes(body)).as("seed %d, round %d", seed, round).isEqualTo(expected);
            } finally {
                body.release();
            }
            out.release(); // nothing left to free once taken
        }
    }

    @Test
    void anAbandonedBodyIsFreed() {
        ChunkedBufferOutput out = new ChunkedBufferOutput(alloc);
        out.write(new byte[200_000], 0, 200_000);
        out.release();
        out.release();
        ByteBuf empty = new ChunkedBufferOutput(alloc).take();
        assertThat(empty.readableBytes()).isZero();
        empty.release();
    }
}
