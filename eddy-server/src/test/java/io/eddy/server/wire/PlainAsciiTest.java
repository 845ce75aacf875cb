package io.eddy.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The eight-bytes-at-a-time test agrees with the byte-by-byte definition, for every byte at every position. */
class PlainAsciiTest {
    private static boolean naive(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 || c > 0x7f || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    @Test
    void everyByteValueAtEveryPositionOfAWord() {
        for (int value = 0; value < 256; value++) {
            for (int at = 0; at < 24; at++) {
                byte[] b = new byte[24];
                java.util.Arrays.fill(b, (byte) 'a');
                b[at] = (byte) value;
                for (int off = 0; off < 3; off++) {
                    int len = b.length - off - 1;
                    assertThat(PlainAscii.bytes(b, off, len)).as("byte %d at %d, slice %d+%d", value, at, off, len)
                            .isEqualTo(naive(b, off, len));
                }
            }
        }
    }

    @Test
    void randomSlices() {
        long seed = System.nanoTime();
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(1, 80)];
            boolean mostlyPlain = r.nextBoolean();
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) (mostlyPlain && r.nextInt(40) != 0 ? r.nextInt(0x20, 0x7f) : r.nextInt(256));
            }
            int off = r.nextInt(b.length);
            int len = r.nextInt(b.length - off + 1);
            assertThat(PlainAscii.bytes(b, off, len)).as("seed %d", seed).isEqualTo(naive(b, off, len));
        }
    }
}
