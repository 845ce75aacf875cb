package io.eddy.server.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.core.changelog.LogPosition;
import io.eddy.core.codec.RandomValues;
import io.eddy.core.codec.ValueCodec;
import io.eddy.core.value.ArrayValue;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.DoubleValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.NullValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.Value;
import io.eddy.server.wire.JsonBytes;
import io.eddy.server.wire.WireJson;
import io.eddy.stream.event.Event;
import io.eddy.stream.event.EventStats;
import io.eddy.stream.event.EventType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Events written without a generator ({@link EventJson#writeDirect}) are byte for byte what the
 * generator writes for them, and the events the direct path does not take still come out right.
 */
class DirectEventJsonTest {
    private static final long TS = 1728485357620000L;
    private static final EventType[] DATA = {EventType.ADD, EventType.UPDATE, EventType.REMOVE};
    /** Strings every escape rule applies to, and text that is not ASCII. */
    private static final String[] AWKWARD = {"she said \"hi\"", "back\\slash", "tab\there", "line\nfeed\r\n",
        "\b\f\u0001\u001f\u007f", "é and 😀 and \uffff", "x".repeat(300), "plain ascii long enough for the fast copy", ""};

    @Test
    void randomDocumentEventsAreWhatTheGeneratorWrites() throws IOException {
        long seed = RandomValues.seed();
        System.out.println("DirectEventJsonTest seed=" + seed);
        Random r = new Random(seed);
        RandomValues gen = new RandomValues(r);
        JsonBytes scratch = new JsonBytes(64); // small: growing is exercised too
        int direct = 0;
        for (int i = 0; i < 5_000; i++) {
            LinkedHashMap<String, Value> m = new LinkedHashMap<>(gen.object(3, 5).fields());
            m.put(AWKWARD[r.nextInt(AWKWARD.length)], new StringValue(AWKWARD[r.nextInt(AWKWARD.length)]));
            if (r.nextInt(4) == 0) {
                m.put("nested", ObjectValue.ofOwned(new LinkedHashMap<>(java.util.Map.of("@tagLike", new IntValue(i)))));
            }
            ObjectValue data = stored(ObjectValue.ofOwned(m));
            long docTs = r.nextBoolean() ? TS - i : DocumentValue.PENDING_TS;
            Event e = Event.data(DATA[r.nextInt(3)], new DocumentValue("Doc", Long.toString(1 + r.nextInt(1_000_000)), docTs, data),
                    new LogPosition(TS + i, r.nextInt(5))).withStats(new EventStats(r.nextInt(3), r.nextInt(100_000), 1 + r.nextInt(3), r.nextInt(2)));
            String expected = viaGenerator(e);
            if (EventJson.writeDirect(scratch, e)) {
                direct++;
                assertThat(new String(scratch.array(), 0, scratch.length(), StandardCharsets.UTF_8))
                        .as("seed %d, event %d", seed, i).isEqualTo(expected);
            } else {
                assertThat(scratch.length()).isZero();
            }
            assertThat(viaWrite(e, scratch)).as("seed %d, event %d", seed, i).isEqualTo(expected);
            assertThat(new String(StreamHttpResponse.encode(e), StandardCharsets.UTF_8)).isEqualTo(expected + "\r\n");
        }
        assertThat(direct).as("documents with only common leaves take the direct path").isPositive();
    }

    @Test
    void whatTheDirectPathLeavesToTheGenerator() throws IOException {
        JsonBytes scratch = new JsonBytes(256);
        ObjectValue common = stored(ObjectValue.ofOwned(new LinkedHashMap<>(java.util.Map.of(
                "a", new IntValue(1), "b", new LongValue(1L << 40), "c", NullValue.NULL, "d", ArrayValue.of(new StringValue("x"))))));
        Event plain = Event.data(EventType.ADD, new DocumentValue("Doc", "1", TS, common), new LogPosition(TS, 0));
        assertThat(EventJson.writeDirect(scratch, plain)).isTrue();

        List<Event> notDirect = List.of(
                // a rarer leaf (a Double)
                Event.data(EventType.ADD, new DocumentValue("Doc", "1", TS,
                        stored(ObjectValue.ofOwned(new LinkedHashMap<>(java.util.Map.of("d", new DoubleValue(1.5)))))), new LogPosition(TS, 0)),
                // a document without its stored form (built by a query), a projection's object, a status event
                Event.data(EventType.UPDATE, new DocumentValue("Doc", "1", TS, ObjectValue.EMPTY), new LogPosition(TS, 0)),
                Event.data(EventType.ADD, common, new LogPosition(TS, 1)),
                Event.status(new LogPosition(TS, 2)));
        for (Event e : notDirect) {
            assertThat(EventJson.writeDirect(scratch, e)).as("%s", e).isFalse();
            assertThat(scratch.length()).isZero();
            assertThat(viaWrite(e, scratch)).isEqualTo(viaGenerator(e));
        }
    }

    private static ObjectValue stored(ObjectValue v) {
        byte[] bytes = ValueCodec.encode(v);
        return ValueCodec.lazyObject(bytes, 0, bytes.length);
    }

    private static String viaGenerator(Event e) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = WireJson.FACTORY.createGenerator(out)) {
            EventJson.write(g, e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Through the generator with the direct path, as a feed page writes events: two, comma-separated. */
    private static String viaWrite(Event e, JsonBytes scratch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = WireJson.FACTORY.createGenerator(out)) {
            g.writeStartArray();
            EventJson.write(g, e, scratch);
            EventJson.write(g, e, scratch);
            g.writeEndArray();
        }
        String both = out.toString(StandardCharsets.UTF_8);
        String one = both.substring(1, (both.length() - 1) / 2);
        assertThat(both).isEqualTo("[" + one + "," + one + "]");
        return one;
    }
}
