package io.eddy.core.codec;

import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.BoolValue;
import io.eddy.core.value.BytesValue;
import io.eddy.core.value.DateValue;
import io.eddy.core.value.DocRefValue;
import io.eddy.core.value.DoubleValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.ModuleValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.TimeValue;
import io.eddy.core.value.Value;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Seeded generator of storable values, biased towards edge cases and near-collisions. */
public final class RandomValues {
    private static final long[] LONGS = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MAX_VALUE - 1, Long.MIN_VALUE + 1, 1L << 53, (1L << 53) + 1, -(1L << 53) - 1, 1L << 62, (1L << 62) + 1};
    private static final double[] DOUBLES = {0.0, -0.0, 1.0, -1.0, 0.5, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
            0x1p63, -0x1p63, 0x1p53, 9.2233720368547748E18, 1e-300};
    private static final String[] STRINGS = {"", "a", "ab", "a\u0000", "a\u0000b", "\u0000", "b", "\uffff", "\ud83d\ude00",
            "\ue000", "Z", "é", "a b"};
    private final Random r;

    public RandomValues(Random r) {
        this.r = r;
    }

    public Value any(int depth) {
        int k = r.nextInt(depth > 0 ? 14 : 12);
        return switch (k) {
            case 0 -> NullValue.NULL;
            case 1 -> BoolValue.of(r.nextBoolean());
            case 2 -> new IntValue(r.nextBoolean() ? r.nextInt(7) - 3 : r.nextInt());
            case 3 -> new LongValue(longValue());
            case 4 -> new DoubleValue(doubleValue());
            case 5, 6 -> new StringValue(string());
            case 7 -> new TimeValue(Instant.ofEpochSecond(r.nextInt(5) - 2 + (r.nextBoolean() ? 0 : r.nextInt()),
                    r.nextBoolean() ? 0 : r.nextInt(1_000_000_000)));
            case 8 -> new DateValue(LocalDate.ofEpochDay(r.nextInt(200_000) - 100_000));
            case 9 -> new BytesValue(bytes());
            case 10 -> r.nextInt(3) == 0 ? new ModuleValue(string()) : new DocRefValue(r.nextBoolean() ? "A" : "B", Long.toString(1 + r.nextInt(20)));
            case 11 -> new StringValue(Integer.toString(r.nextInt(10)));
            case 12 -> {
                int n = r.nextInt(4);
                List<Value> l = new ArrayList<>();
                for (int i = 0; i < n; i++) l.add(any(depth - 1));
                yield new ArrayValue(l);
            }
            default -> object(depth - 1, 3);
        };
    }

    public ObjectValue object(int depth, int maxFields) {
        int n = r.nextInt(maxFields + 1);
        Map<String, Value> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) m.put(r.nextBoolean() ? "f" + r.nextInt(3) : string(), any(depth));
        return new ObjectValue(m);
    }

    private long longValue() {
        return switch (r.nextInt(3)) {
            case 0 -> LONGS[r.nextInt(LONGS.length)] + (r.nextInt(3) - 1) * (r.nextBoolean() ? 1 : 0);
            case 1 -> r.nextInt(11) - 5;
            default -> r.nextLong();
        };
    }

    private double doubleValue() {
        return switch (r.nextInt(4)) {
            case 0 -> DOUBLES[r.nextInt(DOUBLES.length)];
            case 1 -> r.nextInt(11) - 5 + (r.nextBoolean() ? 0.5 : 0);
            case 2 -> (double) LONGS[r.nextInt(LONGS.length)];
            default -> Double.longBitsToDouble(r.nextLong());
        };
    }

    private String string() {
        if (r.nextBoolean()) return STRINGS[r.nextInt(STRINGS.length)];
        StringBuilder sb = new StringBuilder();
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) sb.appendCodePoint(switch (r.nextInt(4)) {
            case 0 -> r.nextInt(3);
            case 1 -> 'a' + r.nextInt(3);
            case 2 -> 0x10000 + r.nextInt(100);
            default -> 0xE000 + r.nextInt(100);
        });
        return sb.toString();
    }

    private byte[] bytes() {
        byte[] b = new byte[r.nextInt(4)];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (r.nextBoolean() ? r.nextInt(3) - 1 : r.nextInt());
        return b;
    }

    /** A seed from {@code -Dseed=} or a fresh one; tests print it. */
    public static long seed() {
        String s = System.getProperty("seed");
        return s != null && !s.isBlank() ? Long.parseLong(s.trim()) : new Random().nextLong();
    }
}
