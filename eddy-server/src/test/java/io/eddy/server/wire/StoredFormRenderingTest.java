package io.eddy.server.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.core.codec.RandomValues;
import io.eddy.core.codec.ValueCodec;
import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.Value;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Objects rendered from their stored bytes ({@code ValueWriter.writeStored}) must be byte for byte what
 * their decoded values render as, in both formats and through both kinds of generator (UTF-8 bodies take
 * raw copies, text generators do not).
 */
class StoredFormRenderingTest {
    private static final long TXN = 1728485357620000L;

    @Test
    void randomObjectsAndDocumentsRenderAsTheirDecodedValues() throws IOException {
        long seed = RandomValues.seed();
        System.out.println("StoredFormRenderingTest seed=" + seed);
        RandomValues gen = new RandomValues(new Random(seed));
        for (int i = 0; i < 5_000; i++) {
            ObjectValue eager = gen.object(3, 5);
            ObjectValue stored = stored(eager);
            assertThat(stored.storedForm()).isNotNull();
            // The stored one is rendered first: rendering must not need the decoded fields.
            assertSameJson(seed, stored, eager);
            assertSameJson(seed, new DocumentValue("Doc", "7", TXN - 1, stored), new DocumentValue("Doc", "7", TXN - 1, eager));
            assertSameJson(seed, new ArrayValue(List.of(stored, new IntValue(i))), new ArrayValue(List.of(eager, new IntValue(i))));
            assertThat(stored).isEqualTo(eager);
        }
    }

    @Test
    void tagLikeNamesAndLongPlainStrings() throws IOException {
        LinkedHashMap<String, Value> inner = new LinkedHashMap<>();
        inner.put("a", new StringValue("x".repeat(300)));
        inner.put("@int", new StringValue("not a tag"));
        LinkedHashMap<String, Value> outer = new LinkedHashMap<>();
        outer.put("@doc", ObjectValue.ofOwned(inner));
        outer.put("payload", new StringValue("plain ascii, long enough to be copied raw: 0123456789"));
        outer.put("quoted", new StringValue("she said \"hi\"\\ and left\n"));
        ObjectValue eager = ObjectValue.ofOwned(outer);
        assertSameJson(0, stored(eager), eager);
        assertThat(render(stored(eager), WireFormat.TAGGED, true))
                .startsWith("{\"@object\":{\"@doc\":{\"@object\":{\"a\":\"xxx");
    }

    private static ObjectValue stored(ObjectValue v) {
        byte[] bytes = ValueCodec.encode(v);
        return ValueCodec.lazyObject(bytes, 0, bytes.length);
    }

    private static void assertSameJson(long seed, Value stored, Value eager) throws IOException {
        for (WireFormat format : WireFormat.values()) {
            for (boolean utf8 : new boolean[] {true, false}) {
                assertThat(render(stored, format, utf8)).as("seed %d, %s, utf8 %s: %s", seed, format, utf8, eager)
                        .isEqualTo(render(eager, format, utf8));
            }
        }
    }

    private static String render(Value v, WireFormat format, boolean utf8) throws IOException {
        if (utf8) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = WireJson.FACTORY.createGenerator(out)) {
                TaggedJson.write(g, v, format, TXN);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = WireJson.FACTORY.createGenerator(out)) {
            TaggedJson.write(g, v, format, TXN);
        }
        return out.toString();
    }
}
