package io.eddy.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.BytesValue;
import io.eddy.core.value.DocRefValue;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.DoubleValue;
import io.eddy.core.value.EventSourceValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StoredForm;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.TimeValue;
import io.eddy.core.value.Value;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CodecTest {

    @Test
    void stringsAreLengthPrefixedUtf8WhateverTheirCharacters() {
        for (String str : List.of("", "owner", "a".repeat(300), "\u007f", "caf\u00e9", "\u00ff\u00ff", "\u20ac 5",
                "\ud83d\ude00 emoji", "mixed ascii then \u00e9")) {
            byte[] utf8 = str.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] expected = new ByteWriter().putVarLong(utf8.length).put(utf8).toByteArray();
            assertThat(new ByteWriter(16).putString(str).toByteArray()).as(str).isEqualTo(expected);
            assertThat(new ByteReader(expected).getString()).isEqualTo(str);
        }
    }

    @Test
    void valueCodecRoundTripsRandomValues() {
        long seed = RandomValues.seed();
        System.out.println("CodecTest.valueCodecRoundTripsRandomValues seed=" + seed);
        RandomValues gen = new RandomValues(new Random(seed));
        for (int i = 0; i < 20_000; i++) {
            Value v = gen.any(3);
            Value back = ValueCodec.decode(ValueCodec.encode(v));
            assertThat(sameValue(back, v)).as("seed=%d value=%s back=%s", seed, v, back).isTrue();
        }
    }

    @Test
    void lazyObjectsAndTheCursorAgreeWithTheDecoder() {
        long seed = RandomValues.seed();
        System.out.println("CodecTest.lazyObjectsAndTheCursorAgreeWithTheDecoder seed=" + seed);
        RandomValues gen = new RandomValues(new Random(seed));
        for (int i = 0; i < 20_000; i++) {
            Value v = gen.any(3);
            byte[] bytes = ValueCodec.encode(v);
            ByteReader skipped = new ByteReader(bytes);
            ValueCodec.skip(skipped);
            assertThat(skipped.hasRemaining()).as("seed=%d skip of %s", seed, v).isFalse();
            ByteReader lazily = new ByteReader(bytes);
            Value lazy = ValueCodec.readLazy(lazily);
            assertThat(lazily.hasRemaining()).isFalse();
            if (lazy instanceof ObjectValue o) {
                assertThat(o.storedForm()).isEqualTo(new StoredForm(bytes, 0, bytes.length));
            }
            assertThat(lazy).as("seed=%d", seed).isEqualTo(v);
            assertThat(lazy.hashCode()).isEqualTo(v.hashCode());
            StoredValueCursor c = new StoredValueCursor(new StoredForm(bytes, 0, bytes.length));
            assertThat(rebuild(c)).as("seed=%d cursor over %s", seed, v).isEqualTo(v);
        }
    }

    @Test
    void aLazyObjectGivenAnotherStoredFormIsNotDecodedForIt() {
        byte[] bytes = ValueCodec.encode(ObjectValue.ofOwned(new LinkedHashMap<>(Map.of("a", new IntValue(1)))));
        int[] decodes = {0};
        java.util.function.Function<StoredForm, LinkedHashMap<String, Value>> decoder = f -> {
            decodes[0]++;
            return new LinkedHashMap<>(((ObjectValue) ValueCodec.decode(
                    Arrays.copyOfRange(f.bytes(), f.offset(), f.offset() + f.length()))).fields());
        };
        ObjectValue lazy = ObjectValue.lazy(new StoredForm(bytes, 0, bytes.length), decoder);
        byte[] elsewhere = new byte[bytes.length + 3];
        System.arraycopy(bytes, 0, elsewhere, 3, bytes.length);
        ObjectValue moved = lazy.withStoredForm(new StoredForm(elsewhere, 3, bytes.length));
        assertThat(decodes[0]).isZero();
        assertThat(moved.storedForm().bytes()).isSameAs(elsewhere);
        assertThat(moved.get("a")).isEqualTo(new IntValue(1));
        assertThat(decodes[0]).isEqualTo(1);
        assertThat(lazy.get("a")).isEqualTo(new IntValue(1));
        // A decoded object shares its map with the copy: nothing is decoded again.
        ObjectValue again = lazy.withStoredForm(new StoredForm(bytes, 0, bytes.length));
        assertThat(again).isEqualTo(lazy);
        assertThat(decodes[0]).isEqualTo(2);
    }

    /** The value the cursor walks over, built from its kinds, counts and slices. */
    private static Value rebuild(StoredValueCursor c) {
        StoredValueCursor.Kind kind = c.next();
        return switch (kind) {
            case ARRAY -> {
                List<Value> elements = new ArrayList<>();
                for (long i = 0, n = c.number(); i < n; i++) elements.add(rebuild(c));
                yield new ArrayValue(elements);
            }
            case OBJECT -> {
                LinkedHashMap<String, Value> fields = new LinkedHashMap<>();
                for (long i = 0, n = c.number(); i < n; i++) {
                    int before = c.position();
                    c.nextName();
                    String name = c.text();
                    c.skipValue(); // look ahead, then back: reset must return exactly
                    c.reset(before);
                    c.nextName();
                    assertThat(c.text()).isEqualTo(name);
                    fields.put(name, rebuild(c));
                }
                yield ObjectValue.ofOwned(fields);
            }
            default -> c.value(kind);
        };
    }

    /** equals, except doubles compare by bits (NaN != NaN under record equals? no: Double.equals is by bits). */
    private static boolean sameValue(Value a, Value b) {
        return a.equals(b);
    }

    @Test
    void valueCodecEdgeCases() {
        Map<String, Value> m = new LinkedHashMap<>();
        m.put("z", new IntValue(1));
        m.put("a", new DoubleValue(-0.0));
        m.put("t", new TimeValue(Instant.parse("2024-05-06T07:08:09.123456789Z")));
        m.put("n", NullValue.NULL);
        m.put("b", new BytesValue(new byte[] {0, -1, 5}));
        m.put("nan", new DoubleValue(Double.NaN));
        ObjectValue o = new ObjectValue(m);
        ObjectValue back = (ObjectValue) ValueCodec.decode(ValueCodec.encode(o));
        assertThat(back).isEqualTo(o);
        assertThat(List.copyOf(back.fields().keySet())).containsExactly("z", "a", "t", "n", "b", "nan");
        assertThat(Double.doubleToRawLongBits(((DoubleValue) back.get("a")).value())).isEqualTo(Double.doubleToRawLongBits(-0.0));
        // documents are stored as refs
        DocumentValue d = new DocumentValue("User", "42", 7, ObjectValue.EMPTY);
        assertThat(ValueCodec.decode(ValueCodec.encode(ArrayValue.of(d)))).isEqualTo(ArrayValue.of(new DocRefValue("User", "42")));
        assertThatThrownBy(() -> ValueCodec.encode(new EventSourceValue("x"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(ValueCodec.decode(ValueCodec.encode(new LongValue(Long.MIN_VALUE)))).isEqualTo(new LongValue(Long.MIN_VALUE));
        assertThat(ValueCodec.decode(ValueCodec.encode(new IntValue(Integer.MIN_VALUE)))).isEqualTo(new IntValue(Integer.MIN_VALUE));
    }

    @Test
    void keyOrderAgreesWithComparatorOnRandomValues() {
        long seed = RandomValues.seed();
        System.out.println("CodecTest.keyOrderAgreesWithComparatorOnRandomValues seed=" + seed);
        RandomValues gen = new RandomValues(new Random(seed));
        for (int i = 0; i < 50_000; i++) {
            Value a = gen.any(2), b = i % 3 == 0 ? a : gen.any(2);
            int expected = Integer.signum(ValueOrder.INSTANCE.compare(a, b));
            byte[] ka = KeyCodec.encode(a), kb = KeyCodec.encode(b);
            assertThat(Integer.signum(Arrays.compareUnsigned(ka, kb))).as("seed=%d a=%s b=%s", seed, a, b).isEqualTo(expected);
            assertThat(Integer.signum(Arrays.compareUnsigned(desc(a), desc(b)))).as("desc seed=%d a=%s b=%s", seed, a, b)
                    .isEqualTo(-expected);
            if (expected != 0) {
                assertThat(isPrefix(ka, kb) || isPrefix(kb, ka)).as("prefix-free seed=%d a=%s b=%s", seed, a, b).isFalse();
            }
        }
    }

    @Test
    void sortingByKeysEqualsSortingByComparator() {
        long seed = RandomValues.seed();
        System.out.println("CodecTest.sortingByKeysEqualsSortingByComparator seed=" + seed);
        RandomValues gen = new RandomValues(new Random(seed));
        List<Value> values = new ArrayList<>();
        for (int i = 0; i < 3000; i++) values.add(gen.any(2));
        List<Value> byComparator = new ArrayList<>(values);
        byComparator.sort(ValueOrder.INSTANCE);
        List<Value> byKey = new ArrayList<>(values);
        byKey.sort((x, y) -> Arrays.compareUnsigned(KeyCodec.encode(x), KeyCodec.encode(y)));
        for (int i = 0; i < values.size(); i++) {
            assertThat(ValueOrder.INSTANCE.compare(byKey.get(i), byComparator.get(i))).as("seed=%d at %d", seed, i).isZero();
        }
    }

    @Test
    void numbersCompareNumericallyAcrossTypes() {
        List<Value> ascending = List.of(new DoubleValue(Double.NEGATIVE_INFINITY), new LongValue(Long.MIN_VALUE),
                new LongValue(Long.MIN_VALUE + 1), new DoubleValue(-1.5), new IntValue(-1), new DoubleValue(-0.5),
                new DoubleValue(0.0), new DoubleValue(0.25), new IntValue(1), new DoubleValue(1.5), new LongValue(1L << 53),
                new LongValue((1L << 53) + 1), new DoubleValue(0x1p53 + 2), new LongValue(Long.MAX_VALUE - 1),
                new LongValue(Long.MAX_VALUE), new DoubleValue(0x1p63), new DoubleValue(Double.POSITIVE_INFINITY),
                new DoubleValue(Double.NaN), new StringValue(""));
        for (int i = 0; i + 1 < ascending.size(); i++) {
            Value a = ascending.get(i), b = ascending.get(i + 1);
            assertThat(ValueOrder.INSTANCE.compare(a, b)).as("%s < %s", a, b).isNegative();
            assertThat(Arrays.compareUnsigned(KeyCodec.encode(a), KeyCodec.encode(b))).as("key %s < %s", a, b).isNegative();
        }
        assertThat(KeyCodec.encode(new IntValue(5))).isEqualTo(KeyCodec.encode(new LongValue(5)))
                .isEqualTo(KeyCodec.encode(new DoubleValue(5.0)));
        assertThat(KeyCodec.encode(new DoubleValue(-0.0))).isEqualTo(KeyCodec.encode(new IntValue(0)));
    }

    @Test
    void typeOrderAndStrings() {
        assertThat(Arrays.compareUnsigned(KeyCodec.encode(new StringValue("a")), KeyCodec.encode(new StringValue("a\u0000")))).isNegative();
        assertThat(Arrays.compareUnsigned(KeyCodec.encode(new StringValue("a\u0000")), KeyCodec.encode(new StringValue("ab")))).isNegative();
        // code point order, not UTF-16 order: U+E000 < U+1F600
        assertThat(ValueOrder.INSTANCE.compare(new StringValue("\ue000"), new StringValue("\ud83d\ude00"))).isNegative();
        assertThat(Arrays.compareUnsigned(KeyCodec.encode(new StringValue("\ue000")), KeyCodec.encode(new StringValue("\ud83d\ude00")))).isNegative();
        assertThat(KeyCodec.prefixEnd(new byte[] {1, (byte) 0xFF})).containsExactly(2);
        assertThat(KeyCodec.prefixEnd(new byte[] {(byte) 0xFF})).isNull();
    }

    private static byte[] desc(Value v) {
        ByteWriter w = new ByteWriter();
        KeyCodec.writeDesc(w, v);
        return w.toByteArray();
    }

    private static boolean isPrefix(byte[] p, byte[] k) {
        return p.length < k.length && Arrays.equals(p, 0, p.length, k, 0, p.length);
    }
}
