package io.eddy.server.wire;

import java.time.Instant;

/**
 * {@link Instant#toString()} without its formatter: the same ISO-8601 text ({@code
 * 2026-11-21T23:30:10.836511Z}, with 0, 3, 6 or 9 fraction digits as the value needs), written
 * digit by digit. Every document in every response and event carries its {@code ts} this way, so
 * the generic formatter's cost showed in feed pages of thousands of events.
 *
 * <p>Years outside 0000..9999 (which {@code Instant.toString} signs and widens) go to
 * {@code Instant.toString} itself.
 */
final class IsoInstant {
    private static final long MIN_SECOND = -62_167_219_200L; // 0000-01-01T00:00:00Z
    private static final long MAX_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private IsoInstant() {}

    static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < MIN_SECOND || seconds > MAX_SECOND) {
            return instant.toString();
        }
        byte[] out = new byte[MAX_LENGTH];
        int n = write(out, 0, seconds, instant.getNano());
        return new String(out, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The longest text {@link #write} writes: {@code 2026-11-22T10:31:49.123456789Z}. */
    static final int MAX_LENGTH = 30;

    /** Whether {@link #write} can format the instant (a four-digit year, as {@link Instant#toString} writes). */
    static boolean writable(long epochSecond) {
        return epochSecond >= MIN_SECOND && epochSecond <= MAX_SECOND;
    }

    /**
     * Writes the instant as {@link Instant#toString} does (ASCII, at most {@link #MAX_LENGTH} bytes) into
     * {@code out} at {@code at}, allocating nothing; returns the index after it. Only for
     * {@link #writable} seconds.
     */
    static int write(byte[] out, int at, long epochSecond, int nanos) {
        long day = Math.floorDiv(epochSecond, 86_400L);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        // Civil date from days since 1970-01-01 (proleptic Gregorian), by 400-year eras.
        long z = day + 719_468;
        long era = Math.floorDiv(z, 146_097);
        int dayOfEra = (int) (z - era * 146_097);
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int mp = (5 * dayOfYear + 2) / 153;
        int dayOfMonth = dayOfYear - (153 * mp + 2) / 5 + 1;
        int month = mp < 10 ? mp + 3 : mp - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        int n = at;
        n = digits(out, n, (int) year, 4);
        out[n++] = '-';
        n = digits(out, n, month, 2);
        out[n++] = '-';
        n = digits(out, n, dayOfMonth, 2);
        out[n++] = 'T';
        n = digits(out, n, secondOfDay / 3600, 2);
        out[n++] = ':';
        n = digits(out, n, secondOfDay / 60 % 60, 2);
        out[n++] = ':';
        n = digits(out, n, secondOfDay % 60, 2);
        if (nanos != 0) {
            out[n++] = '.';
            if (nanos % 1_000_000 == 0) {
                n = digits(out, n, nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                n = digits(out, n, nanos / 1000, 6);
            } else {
                n = digits(out, n, nanos, 9);
            }
        }
        out[n++] = 'Z';
        return n;
    }

    /** Writes {@code value} (>= 0) as exactly {@code width} decimal digits, zero-padded, two per step. */
    private static int digits(byte[] out, int at, int value, int width) {
        int i = at + width;
        while (i - at >= 2) {
            int r = value % 100;
            value /= 100;
            out[--i] = JsonBytes.PAIRS[2 * r + 1];
            out[--i] = JsonBytes.PAIRS[2 * r];
        }
        if (i > at) {
            out[--i] = (byte) ('0' + value % 10);
        }
        return at + width;
    }
}
