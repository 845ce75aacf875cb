package io.eddy.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
    @Test
    void findsTheFirstLineFeedInEveryPositionOfAWord() {
        for (int len = 0; len <= 40; len++) {
            for (int at = -1; at < len; at++) {
                byte[] b = new byte[len + 3];
                java.util.Arrays.fill(b, (byte) 'x');
                if (at >= 0) b[at + 3] = '\n';
                if (at >= 0 && at + 5 < len + 3) b[at + 5] = '\n'; // a later one is not the answer
                assertThat(LineSplitter.indexOfLineFeed(b, 3, len + 3)).as("len %d at %d", len, at)
                        .isEqualTo(at < 0 ? -1 : at + 3);
            }
        }
    }

    /**
     * Random lines of three streams, cut into random frames fed interleaved through one shared scratch
     * array (as a connection's streams are), come out whole and in order per stream; prints its seed.
     */
    @Test
    void randomLinesAcrossRandomFrames() {
        long seed = System.nanoTime();
        System.out.println("LineSplitterTest seed " + seed);
        Random r = new Random(seed);
        LineSplitter.Scratch scratch = new LineSplitter.Scratch();
        for (int round = 0; round < 100; round++) {
            int streams = 3;
            List<List<String>> expected = new ArrayList<>();
            List<List<String>> got = new ArrayList<>();
            byte[][] bytes = new byte[streams][];
            int[] at = new int[streams];
            LineSplitter[] splitters = new LineSplitter[streams];
            for (int k = 0; k < streams; k++) {
                List<String> lines = new ArrayList<>();
                bytes[k] = randomLines(r, lines);
                expected.add(lines);
                got.add(new ArrayList<>());
                splitters[k] = new LineSplitter();
            }
            while (at[0] < bytes[0].length || at[1] < bytes[1].length || at[2] < bytes[2].length) {
                int k = r.nextInt(streams);
                int n = Math.min(bytes[k].length - at[k], r.nextInt(3) == 0 ? r.nextInt(8) : r.nextInt(2_000));
                List<String> out = got.get(k);
                splitters[k].feed(Unpooled.wrappedBuffer(bytes[k], at[k], n),
                        (b, off, len) -> out.add(new String(b, off, len, StandardCharsets.UTF_8)), scratch);
                at[k] += n;
            }
            assertThat(got).as("seed %d round %d", seed, round).isEqualTo(expected);
        }
    }

    /** Up to 30 lines, some empty, some long, ended by {@code \n} or {@code \r\n}; the non-empty ones go to {@code lines}. */
    private static byte[] randomLines(Random r, List<String> lines) {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        int count = r.nextInt(30);
        for (int i = 0; i < count; i++) {
            StringBuilder line = new StringBuilder();
            int len = r.nextInt(10) == 0 ? r.nextInt(100_000) : r.nextInt(700);
            for (int j = 0; j < len; j++) line.append((char) ('a' + r.nextInt(26)));
            if (len > 0) lines.add(line.toString());
            stream.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
            stream.writeBytes(r.nextBoolean() ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
        }
        return stream.toByteArray();
    }
}
