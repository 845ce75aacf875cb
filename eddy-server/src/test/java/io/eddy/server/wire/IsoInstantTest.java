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

    @Test
    void microsecondTimesWrittenIntoBytesAreWhatInstantToStringWrites() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        JsonBytes out = new JsonBytes(8);
        for (int i = 0; i < 200_000; i++) {
            long micros = switch (random.nextInt(4)) {
                case 0 -> random.nextLong(-62_167_219_200_000_000L - 1000, 253_402_300_800_000_000L + 1000);
                case 1 -> random.nextLong(1_700_000_000_000_000L, 1_900_000_000_000_000L);
                case 2 -> random.nextLong(-1_000_000_000L, 1_000_000_000L) * 1_000_000L;
                default -> random.nextLong(Long.MIN_VALUE / 2, Long.MAX_VALUE / 2);
            };
            Instant t = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
            out.truncate(0);
            out.isoTime(micros);
            assertThat(new String(out.array(), 0, out.length(), java.nio.charset.StandardCharsets.US_ASCII))
                    .as("seed %d: %s", seed, t).isEqualTo(t.toString());
        }
    }
}
