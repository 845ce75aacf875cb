package io.eddy.core.value;

import java.time.Instant;
import java.util.Objects;

/** FQL {@code Time}: an instant with nanosecond precision. */
public record TimeValue(Instant value) implements Value {
    public TimeValue { Objects.requireNonNull(value, "value"); }

    /** A time from microseconds since the epoch, the unit of {@code txn_ts}. */
    public static TimeValue ofMicros(long micros) {
        return new TimeValue(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L));
    }

    public long toMicros() {
        return Math.addExact(Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1000L);
    }

    @Override public String typeName() { return "Time"; }
    @Override public boolean isStorable() { return true; }
    @Override public String toString() { return value.toString(); }
}
