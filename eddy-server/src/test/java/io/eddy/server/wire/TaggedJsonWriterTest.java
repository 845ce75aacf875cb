package io.eddy.server.wire;

import static io.eddy.server.wire.WireFormat.SIMPLE;
import static io.eddy.server.wire.WireFormat.TAGGED;
import static org.assertj.core.api.Assertions.assertThat;

import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.BoolValue;
import io.eddy.core.value.BytesValue;
import io.eddy.core.value.DateValue;
import io.eddy.core.value.DocRefValue;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.DoubleValue;
import io.eddy.core.value.EventSourceValue;
import io.eddy.core.value.IdValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.ModuleValue;
import io.eddy.core.value.NamedDocumentValue;
import io.eddy.core.value.NullDocumentValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.SetPageValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.TimeValue;
import io.eddy.core.value.Value;
import io.eddy.server.testing.WireAssertions;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaggedJsonWriterTest {
    private static final long TXN = 1728485357620000L;
    private static final long TS = 1728485357620000L; // 2024-10-09T14:49:17.620Z

    private static String tagged(Value v) {
        return TaggedJson.toJson(v, TAGGED, TXN);
    }

    private static String simple(Value v) {
        return TaggedJson.toJson(v, SIMPLE, TXN);
    }

    private static ObjectValue obj(Object... kv) {
        Map<String, Value> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Value) kv[i + 1]);
        }
        return new ObjectValue(m);
    }

    @Test
    void scalars() {
        assertThat(tagged(NullValue.NULL)).isEqualTo("null");
        assertThat(tagged(BoolValue.TRUE)).isEqualTo("true");
        assertThat(tagged(new StringValue("a\"b"))).isEqualTo("\"a\\\"b\"");
        assertThat(tagged(new IntValue(42))).isEqualTo("{\"@int\":\"42\"}");
        assertThat(tagged(new IntValue(-7))).isEqualTo("{\"@int\":\"-7\"}");
        assertThat(tagged(new LongValue(Long.MAX_VALUE))).isEqualTo("{\"@long\":\"9223372036854775807\"}");
        assertThat(tagged(new DoubleValue(1.5))).isEqualTo("{\"@double\":\"1.5\"}");
        assertThat(tagged(new DoubleValue(1e10))).isEqualTo("{\"@double\":\"1.0E10\"}");
        assertThat(tagged(new DoubleValue(Double.NaN))).isEqualTo("{\"@double\":\"NaN\"}");
        assertThat(tagged(new DoubleValue(Double.NEGATIVE_INFINITY))).isEqualTo("{\"@double\":\"-Infinity\"}");

        assertThat(simple(new IntValue(42))).isEqualTo("42");
        assertThat(simple(new LongValue(Long.MIN_VALUE))).isEqualTo("-9223372036854775808");
        assertThat(simple(new DoubleValue(1.5))).isEqualTo("1.5");
        assertThat(simple(BoolValue.FALSE)).isEqualTo("false");
    }

    @Test
    void aDocumentIdIsWrittenAsTheStringItIs() {
        // `doc.id` evaluates to an IdValue (equal to the number it spells in FQL): on the wire a string.
        ObjectValue withId = obj("id", new IdValue("390896421523423744"));
        ObjectValue withString = obj("id", new StringValue("390896421523423744"));
        assertThat(tagged(withId)).isEqualTo(tagged(withString)).isEqualTo("{\"id\":\"390896421523423744\"}");
        assertThat(simple(withId)).isEqualTo(simple(withString));
    }

    @Test
    void stringsOfEveryKindAreWrittenAsJacksonEscapesThem() throws Exception {
        // Plain ASCII strings take a shortcut past Jackson's escaping; the bytes must not differ.
        long seed = System.nanoTime();
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        String alphabet = "abcXYZ019 ~!@#$%^&*()_+-=[]{};:',.<>/?\"\\\t\n\r\u0000\u001f\u007f\u0080é€ß";
        com.fasterxml.jackson.databind.ObjectMapper jackson = new com.fasterxml.jackson.databind.ObjectMapper();
        for (int i = 0; i < 5_000; i++) {
            StringBuilder sb = new StringBuilder();
            boolean plain = random.nextBoolean();
            int length = random.nextInt(0, 300);
            for (int k = 0; k < length; k++) {
                sb.append(plain ? (char) random.nextInt(0x20, 0x7f) : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = sb.toString();
            String expected = jackson.writeValueAsString(text);
            assertThat(tagged(new StringValue(text))).as("seed %d: %s", seed, text).isEqualTo(expected);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (com.fasterxml.jackson.core.JsonGenerator g = WireJson.FACTORY.createGenerator(bytes)) {
                TaggedJson.write(g, new StringValue(text), TAGGED, TXN);
            }
            assertThat(bytes.toString(StandardCharsets.UTF_8)).as("seed %d: %s", seed, text).isEqualTo(expected);
        }
    }

    @Test
    void timesKeepTheirPrecisionInUtc() {
        assertThat(tagged(TimeValue.ofMicros(TS))).isEqualTo("{\"@time\":\"2024-10-09T14:49:17.620Z\"}");
        assertThat(tagged(TimeValue.ofMicros(TS + 1))).isEqualTo("{\"@time\":\"2024-10-09T14:49:17.620001Z\"}");
        assertThat(tagged(new TimeValue(Instant.parse("2024-10-09T14:49:17.123456789Z"))))
                .isEqualTo("{\"@time\":\"2024-10-09T14:49:17.123456789Z\"}");
        assertThat(tagged(new TimeValue(Instant.parse("2024-10-09T14:49:17Z"))))
                .isEqualTo("{\"@time\":\"2024-10-09T14:49:17Z\"}");
        assertThat(simple(TimeValue.ofMicros(TS))).isEqualTo("\"2024-10-09T14:49:17.620Z\"");
        assertThat(tagged(new DateValue(LocalDate.of(2024, 10, 9)))).isEqualTo("{\"@date\":\"2024-10-09\"}");
        assertThat(simple(new DateValue(LocalDate.of(2024, 10, 9)))).isEqualTo("\"2024-10-09\"");
    }

    @Test
    void bytesAndModulesAndStreams() {
        BytesValue bytes = new BytesValue("hi!".getBytes(StandardCharsets.UTF_8));
        assertThat(tagged(bytes)).isEqualTo("{\"@bytes\":\"aGkh\"}");
        assertThat(simple(bytes)).isEqualTo("\"aGkh\"");
        assertThat(tagged(new ModuleValue("Product"))).isEqualTo("{\"@mod\":\"Product\"}");
        assertThat(simple(new ModuleValue("Math"))).isEqualTo("\"Math\"");
        assertThat(tagged(new EventSourceValue("g9WD1YPG"))).isEqualTo("{\"@stream\":\"g9WD1YPG\"}");
        assertThat(simple(new EventSourceValue("g9WD1YPG"))).isEqualTo("\"g9WD1YPG\"");
    }

    @Test
    void arraysAndObjects() {
        ArrayValue arr = ArrayValue.of(new IntValue(1), new StringValue("x"), NullValue.NULL);
        assertThat(tagged(arr)).isEqualTo("[{\"@int\":\"1\"},\"x\",null]");
        assertThat(simple(arr)).isEqualTo("[1,\"x\",null]");
        assertThat(tagged(obj("b", new IntValue(1), "a", BoolValue.TRUE)))
                .as("keeps insertion order").isEqualTo("{\"b\":{\"@int\":\"1\"},\"a\":true}");
        assertThat(tagged(ObjectValue.EMPTY)).isEqualTo("{}");
    }

    @Test
    void objectsWithAtKeysAreWrappedWhenTagged() {
        ObjectValue o = obj("@int", new StringValue("not a tag"), "x", new IntValue(2));
        assertThat(tagged(o)).isEqualTo("{\"@object\":{\"@int\":\"not a tag\",\"x\":{\"@int\":\"2\"}}}");
        assertThat(simple(o)).isEqualTo("{\"@int\":\"not a tag\",\"x\":2}");
        // nested: only the object that has the key is wrapped
        assertThat(tagged(obj("outer", obj("@x", NullValue.NULL))))
                .isEqualTo("{\"outer\":{\"@object\":{\"@x\":null}}}");
    }

    @Test
    void documents() {
        DocumentValue doc = new DocumentValue("Product", "401", TS,
                obj("name", new StringValue("p1"), "author", new DocRefValue("Author", "410")));
        assertThat(tagged(doc)).isEqualTo("{\"@doc\":{\"id\":\"401\",\"coll\":{\"@mod\":\"Product\"},"
                + "\"ts\":{\"@time\":\"2024-10-09T14:49:17.620Z\"},\"name\":\"p1\","
                + "\"author\":{\"@ref\":{\"id\":\"410\",\"coll\":{\"@mod\":\"Author\"}}}}}");
        assertThat(simple(doc)).isEqualTo("{\"id\":\"401\",\"coll\":\"Product\",\"ts\":\"2024-10-09T14:49:17.620Z\","
                + "\"name\":\"p1\",\"author\":{\"id\":\"410\",\"coll\":\"Author\"}}");
    }

    @Test
    void pendingDocumentTimestampBecomesTheTransactionTime() {
        DocumentValue doc = new DocumentValue("Product", "1", DocumentValue.PENDING_TS, ObjectValue.EMPTY);
        assertThat(TaggedJson.toJson(doc, TAGGED, TS + 5))
                .contains("\"ts\":{\"@time\":\"2024-10-09T14:49:17.620005Z\"}");
    }

    @Test
    void namedDocuments() {
        NamedDocumentValue coll = new NamedDocumentValue("Collection", "Product", TS,
                obj("history_days", new IntValue(0)));
        assertThat(tagged(coll)).isEqualTo("{\"@doc\":{\"name\":\"Product\",\"coll\":{\"@mod\":\"Collection\"},"
                + "\"ts\":{\"@time\":\"2024-10-09T14:49:17.620Z\"},\"history_days\":{\"@int\":\"0\"}}}");
        assertThat(simple(coll)).isEqualTo("{\"name\":\"Product\",\"coll\":\"Collection\","
                + "\"ts\":\"2024-10-09T14:49:17.620Z\",\"history_days\":0}");
    }

    @Test
    void references() {
        assertThat(tagged(new DocRefValue("Product", "401")))
                .isEqualTo("{\"@ref\":{\"id\":\"401\",\"coll\":{\"@mod\":\"Product\"}}}");
        assertThat(tagged(new DocRefValue("Collection", "Product")))
                .as("schema documents are referenced by name")
                .isEqualTo("{\"@ref\":{\"name\":\"Product\",\"coll\":{\"@mod\":\"Collection\"}}}");
        assertThat(simple(new DocRefValue("Product", "401"))).isEqualTo("{\"id\":\"401\",\"coll\":\"Product\"}");
    }

    @Test
    void nullDocuments() {
        NullDocumentValue missing = new NullDocumentValue("Product", "999", "not found");
        assertThat(tagged(missing)).isEqualTo("{\"@ref\":{\"id\":\"999\",\"coll\":{\"@mod\":\"Product\"},"
                + "\"exists\":false,\"cause\":\"not found\"}}");
        assertThat(simple(missing)).isEqualTo("null");
    }

    @Test
    void setPages() {
        SetPageValue page = new SetPageValue(List.of(new IntValue(1), new IntValue(2)), "AFTER1");
        assertThat(tagged(page)).isEqualTo("{\"@set\":{\"data\":[{\"@int\":\"1\"},{\"@int\":\"2\"}],\"after\":\"AFTER1\"}}");
        assertThat(simple(page)).isEqualTo("{\"data\":[1,2],\"after\":\"AFTER1\"}");
        SetPageValue last = new SetPageValue(List.of(), null);
        assertThat(tagged(last)).as("no after on the last page").isEqualTo("{\"@set\":{\"data\":[]}}");
        assertThat(simple(last)).isEqualTo("{\"data\":[]}");
    }

    @Test
    void unknownValuesBecomeTheirDescription() {
        Value lambda = new Value() {
            @Override public String typeName() { return "Function"; }
            @Override public String toString() { return "[function <lambda>]"; }
        };
        assertThat(tagged(lambda)).isEqualTo("\"[function <lambda>]\"");
    }

    @Test
    void taggedOutputNeverHasRawNumbers() {
        Value everything = obj(
                "i", new IntValue(1), "l", new LongValue(2), "d", new DoubleValue(3.5),
                "arr", ArrayValue.of(new IntValue(4), obj("n", new LongValue(5))),
                "doc", new DocumentValue("P", "6", TS, obj("q", new IntValue(7))),
                "set", new SetPageValue(List.of(new DoubleValue(8)), null));
        WireAssertions.assertNoRawNumbers(WireAssertions.parse(tagged(everything)));
    }
}
