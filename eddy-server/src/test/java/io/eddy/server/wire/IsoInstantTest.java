package io.eddy.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantTest {

    @Test
    void writesWhatInstantToStringWrites() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 200_000; i++) {
            long second = random.nextLong(-62_167_219_200L - 1000, 253_402_300_799L + 1000);
            int nanos = switch (random.nextInt(5)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(second, nanos);
            assertThat(IsoInstant.format(t)).as("seed %d: %s", seed, t).isEqualTo(t.toString());
        }
    }

    @Test
    void edgesOfTheFourDigitYears() {
        for (Instant t : new Instant[] {Instant.EPOCH, Instant.ofEpochSecond(-1), Instant.ofEpochSecond(-62_167_219_200L),
                Instant.ofEpochSecond(-62_167_219_201L), Instant.ofEpochSecond(253_402_300_799L, 999_999_999),
                Instant.ofEpochSecond(253_402_300_800L), Instant.MIN, Instant.MAX, Instant.parse("2026-11-21T23:30:10.836511Z")}) {
            assertThat(IsoInstant.format(t)).isEqualTo(t.toString());
        }
    }
}
