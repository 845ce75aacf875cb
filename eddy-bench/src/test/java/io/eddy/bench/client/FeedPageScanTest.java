package io.eddy.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FeedPageScanTest {
    /**
     * Random pages (nested data, strings holding quotes, backslashes, braces and brackets, error events)
     * fed in random frames give what the byte-by-byte scan of the whole page gives, and that is the
     * page's true content; prints its seed.
     */
    @Test
    void randomPagesInRandomFramesScanLikeTheByteLoop() {
        long seed = System.nanoTime();
        System.out.println("FeedPageScanTest seed " + seed);
        Random r = new Random(seed);
        for (int round = 0; round < 600; round++) {
            // Half the rounds without escapes, so that whole 64-byte blocks are scanned at once.
            boolean escapes = round % 2 == 0;
            int events = r.nextInt(40);
            int errors = 0;
            StringBuilder page = new StringBuilder("{\"events\":[");
            for (int e = 0; e < events; e++) {
                if (e > 0) page.append(',');
                boolean error = r.nextInt(5) == 0;
                if (error) {
                    errors++;
                    page.append("{\"type\":\"error\",\"error\":{\"code\":").append(string(r, escapes)).append("}}");
                } else {
                    page.append("{\"type\":\"").append(r.nextBoolean() ? "add" : "errorish")
                            .append("\",\"data\":").append(value(r, 0, escapes)).append(",\"cursor\":").append(string(r, escapes)).append('}');
                }
            }
            String cursor = "C" + r.nextInt(1000);
            boolean hasNext = r.nextBoolean();
            page.append("],\"cursor\":\"").append(cursor).append("\",\"has_next\":").append(hasNext)
                    .append(",\"stats\":{\"read_ops\":1}}");
            byte[] bytes = page.toString().getBytes(StandardCharsets.UTF_8);

            FeedPageScan.Page whole = FeedPageScan.scan(bytes);
            assertThat(whole).as("seed %d round %d", seed, round)
                    .isEqualTo(new FeedPageScan.Page(events, errors, cursor, hasNext));
            FeedPageScan framed = new FeedPageScan();
            for (int at = 0; at < bytes.length; ) {
                int len = Math.min(bytes.length - at, switch (r.nextInt(3)) {
                    case 0 -> 1 + r.nextInt(4);
                    case 1 -> 1 + r.nextInt(200);
                    default -> 1 + r.nextInt(4000);
                });
                framed.feed(Unpooled.wrappedBuffer(bytes, at, len));
                at += len;
            }
            assertThat(framed.page()).as("seed %d round %d", seed, round).isEqualTo(whole);
        }
    }

    private static String value(Random r, int depth, boolean escapes) {
        int kind = depth > 3 ? r.nextInt(3) : r.nextInt(5);
        return switch (kind) {
            case 0 -> string(r, escapes);
            case 1 -> Integer.toString(r.nextInt());
            case 2 -> r.nextBoolean() ? "null" : "true";
            case 3 -> {
                StringBuilder b = new StringBuilder("[");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) b.append(i > 0 ? "," : "").append(value(r, depth + 1, escapes));
                yield b.append(']').toString();
            }
            default -> {
                StringBuilder b = new StringBuilder("{");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) b.append(i > 0 ? "," : "").append(string(r, escapes)).append(':').append(value(r, depth + 1, escapes));
                yield b.append('}').toString();
            }
        };
    }

    /** A JSON string whose content may hold escaped quotes and backslashes, braces, brackets and non-ASCII. */
    private static String string(Random r, boolean escapes) {
        String[] parts = escapes
                ? new String[] {"a", "type", "error", "{", "}", "[", "]", ":", ",", "\\\"", "\\\\", "\\n", "é", "\\u0041", " "}
                : new String[] {"a", "type", "error", "{", "}", "[", "]", ":", ",", "é", " ", "0123456789abcdef"};
        StringBuilder b = new StringBuilder("\"");
        int n = r.nextInt(3) == 0 ? r.nextInt(60) : r.nextInt(6);
        for (int i = 0; i < n; i++) b.append(parts[r.nextInt(parts.length)]);
        return b.append('"').toString();
    }

    /** A page of blocks without escapes, cut in two at every byte: an error event cut by the frame is still counted. */
    @Test
    void errorEventsCutByAFrameAreCounted() {
        StringBuilder page = new StringBuilder("{\"events\":[");
        for (int e = 0; e < 30; e++) {
            if (e > 0) page.append(',');
            page.append(e % 2 == 0
                    ? "{\"type\":\"add\",\"data\":{\"@doc\":{\"id\":\"4\",\"payload\":\"{[x]}\"}},\"cursor\":\"c" + e + "\"}"
                    : "{\"type\":\"error\",\"error\":{\"code\":\"abort\",\"message\":\"}}]]\"}}");
        }
        byte[] bytes = page.append("],\"cursor\":\"TOP\",\"has_next\":false,\"stats\":{}}").toString()
                .getBytes(StandardCharsets.UTF_8);
        FeedPageScan.Page expected = new FeedPageScan.Page(30, 15, "TOP", false);
        assertThat(FeedPageScan.scan(bytes)).isEqualTo(expected);
        for (int cut = 0; cut <= bytes.length; cut++) {
            FeedPageScan framed = new FeedPageScan();
            framed.feed(Unpooled.wrappedBuffer(bytes, 0, cut));
            framed.feed(Unpooled.wrappedBuffer(bytes, cut, bytes.length - cut));
            assertThat(framed.page()).as("cut at %d", cut).isEqualTo(expected);
        }
    }

    @Test
    void prefixXorMatchesABitLoop() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int round = 0; round < 20_000; round++) {
            long m = round < 64 ? 1L << round : r.nextLong();
            long expected = 0;
            boolean odd = false;
            for (int k = 0; k < 64; k++) {
                odd ^= (m >>> k & 1) != 0;
                if (odd) expected |= 1L << k;
            }
            assertThat(Swar.prefixXor(m)).as("round %d", round).isEqualTo(expected);
        }
    }
}
