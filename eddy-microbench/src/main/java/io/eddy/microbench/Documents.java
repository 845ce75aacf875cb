package io.eddy.microbench;

import io.eddy.core.changelog.LogPosition;
import io.eddy.core.codec.ValueCodec;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.IntValue;
import io.eddy.core.value.LongValue;
import io.eddy.core.value.ObjectValue;
import io.eddy.core.value.StringValue;
import io.eddy.core.value.Value;
import io.eddy.stream.event.Event;
import io.eddy.stream.event.EventStats;
import io.eddy.stream.event.EventType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** The benchmark harness's document shape ({@code owner, status, score, payload ~200 B, sent_ns}) in process. */
final class Documents {
    static final String PAYLOAD = "x".repeat(200);
    static final long TS = 1_795_334_000_000_000L;

    private Documents() {}

    /** The data of document {@code i}. */
    static ObjectValue data(int i) {
        LinkedHashMap<String, Value> m = new LinkedHashMap<>();
        m.put("owner", new StringValue("o" + (i % 1000)));
        m.put("status", new StringValue("s" + (i & 3)));
        m.put("score", new IntValue(i % 90));
        m.put("payload", new StringValue(PAYLOAD));
        m.put("sent_ns", new LongValue(123_456_789_012L + i));
        return ObjectValue.ofOwned(m);
    }

    /** {@code n} add events whose documents know their stored bytes, as read from the change log. */
    static List<Event> storedEvents(int n) {
        List<Event> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] stored = ValueCodec.encode(data(i));
            long ts = TS + i / 100;
            DocumentValue d = new DocumentValue("Doc", Long.toString(400_000_000_000_000_000L + i), ts,
                    ValueCodec.lazyObject(stored, 0, stored.length));
            events.add(Event.data(EventType.ADD, d, new LogPosition(ts, i % 100)).withStats(new EventStats(1, 320, 1, 0)));
        }
        return events;
    }
}
