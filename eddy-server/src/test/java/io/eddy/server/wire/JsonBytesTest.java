package io.eddy.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link JsonBytes}'s numbers are {@link Long#toString}'s digits; its buffer grows as needed. */
class JsonBytesTest {
    private static String text(JsonBytes b) {
        return new String(b.array(), 0, b.length(), StandardCharsets.UTF_8);
    }

    @Test
    void numbersAreTheirDecimalDigits() {
        long[] edges = {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, Integer.MAX_VALUE - 1L, Integer.MAX_VALUE,
            Integer.MAX_VALUE + 1L, 9_999_999_999L, 10_000_000_000L, 999_999_999_999_999_999L,
            1_000_000_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, -10, -99, -100,
            Integer.MIN_VALUE, Integer.MIN_VALUE - 1L};
        for (long v : edges) {
            assertThat(text(new JsonBytes(1).number(v))).as("%d", v).isEqualTo(Long.toString(v));
        }
        SplittableRandom r = new SplittableRandom(5);
        JsonBytes b = new JsonBytes(1);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            long v = switch (i % 3) {
                case 0 -> r.nextLong();
                case 1 -> r.nextLong() >> r.nextInt(64);
                default -> r.nextInt(1000) - 500;
            };
            b.number(v).raw((byte) ',');
            expected.append(v).append(',');
        }
        assertThat(text(b)).isEqualTo(expected.toString());
    }
}
