package io.eddy.server.endpoint;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import io.eddy.core.value.DocumentValue;
import io.eddy.server.wire.JsonBytes;
import io.eddy.server.wire.StoredDocumentJson;
import io.eddy.stream.event.EventType;
import io.eddy.core.changelog.LogPosition;
import io.eddy.core.value.NullValue;
import io.eddy.server.wire.FieldNames;
import io.eddy.server.wire.TaggedJson;
import io.eddy.server.wire.WireFormat;
import io.eddy.stream.event.Event;
import io.eddy.stream.event.EventCursor;
import io.eddy.stream.event.EventStats;
import java.io.IOException;

/**
 * One stream or feed event as JSON (core: {@code runtime/stream/Event.scala}), the shape both
 * {@link StreamHttpResponse} (one per line) and {@link FeedHttpResponse} (inside {@code events}) use.
 *
 * <p>Fields, in core's order, and nothing else (the JVM driver rejects unknown fields):
 * <ul>
 *   <li>data events: {@code type}, {@code data} (tagged, so never a raw number), {@code txn_ts} (the
 *       position's transaction time), {@code cursor}, {@code stats};</li>
 *   <li>{@code status}: {@code type}, {@code txn_ts}, {@code cursor}, {@code stats};</li>
 *   <li>{@code error}: {@code type}, {@code error} ({@code code}, {@code message}, and {@code abort}
 *       for aborts: the JS driver's {@code AbortError} needs the field even for {@code abort(null)}),
 *       {@code stats}; no {@code txn_ts} and no {@code cursor}.</li>
 * </ul>
 * {@code stats} always holds {@code read_ops}, {@code storage_bytes_read}, {@code compute_ops},
 * {@code processing_time_ms} and an empty {@code rate_limits_hit} array (Eddy has no rate limits):
 * the event's {@link EventStats}, zero for status events and request errors.
 */
final class EventJson {
    private EventJson() {}

    private static final SerializedString TYPE = FieldNames.constant("type");
    private static final SerializedString DATA = FieldNames.constant("data");
    private static final SerializedString TXN_TS = FieldNames.constant("txn_ts");
    private static final SerializedString CURSOR = FieldNames.constant("cursor");
    private static final SerializedString STATS = FieldNames.constant("stats");
    private static final SerializedString READ_OPS = FieldNames.constant("read_ops");
    private static final SerializedString STORAGE_BYTES_READ = FieldNames.constant("storage_bytes_read");
    private static final SerializedString COMPUTE_OPS = FieldNames.constant("compute_ops");
    private static final SerializedString PROCESSING_TIME_MS = FieldNames.constant("processing_time_ms");
    private static final SerializedString RATE_LIMITS_HIT = FieldNames.constant("rate_limits_hit");

    /**
     * Writes the event: a data event whose document knows its stored form through {@code scratch}
     * ({@link #writeDirect}) as one raw value, anything else token by token.
     */
    static void write(JsonGenerator g, Event e, JsonBytes scratch) throws IOException {
        if (g instanceof UTF8JsonGenerator && writeDirect(scratch, e)) {
            g.writeRawValue(scratch.asRawValue());
        } else {
            write(g, e);
        }
    }

    private static final byte[] TYPE_OPEN = ascii("{\"type\":");
    private static final byte[] DATA_FIELD = ascii(",\"data\":");
    private static final byte[] TXN_TS_FIELD = ascii(",\"txn_ts\":");
    private static final byte[] CURSOR_FIELD = ascii(",\"cursor\":");
    private static final byte[] STATS_OPEN = ascii(",\"stats\":{\"read_ops\":");
    private static final byte[] STORAGE_BYTES_READ_FIELD = ascii(",\"storage_bytes_read\":");
    private static final byte[] COMPUTE_OPS_FIELD = ascii(",\"compute_ops\":");
    private static final byte[] PROCESSING_TIME_MS_FIELD = ascii(",\"processing_time_ms\":");
    private static final byte[] STATS_CLOSE = ascii(",\"rate_limits_hit\":[]}}");

    /**
     * The event into {@code out} (emptied first) without a generator, when it is a data event whose
     * document knows its stored form and holds only common leaves ({@link StoredDocumentJson}): the
     * same bytes {@link #write(JsonGenerator, Event)} writes. Otherwise false, and {@code out} empty.
     */
    static boolean writeDirect(JsonBytes out, Event e) {
        out.truncate(0);
        if (!(e.data() instanceof DocumentValue d) || d.data().storedForm() == null) return false;
        if (e.type() != EventType.ADD && e.type() != EventType.UPDATE && e.type() != EventType.REMOVE) return false;
        LogPosition at = e.position();
        out.raw(TYPE_OPEN).string(e.type().wire()).raw(DATA_FIELD);
        if (!StoredDocumentJson.write(out, d, at.txnTs())) {
            out.truncate(0);
            return false;
        }
        EventStats s = e.stats();
        // The cursor's characters need no escaping: written between its quotes, with no string made.
        byte[] cursor = new byte[EventCursor.LENGTH + 2];
        cursor[0] = '"';
        EventCursor.writeAscii(at, cursor, 1);
        cursor[EventCursor.LENGTH + 1] = '"';
        out.raw(TXN_TS_FIELD).number(at.txnTs()).raw(CURSOR_FIELD).raw(cursor)
                .raw(STATS_OPEN).number(s.readOps())
                .raw(STORAGE_BYTES_READ_FIELD).number(s.storageBytesRead())
                .raw(COMPUTE_OPS_FIELD).number(s.computeOps())
                .raw(PROCESSING_TIME_MS_FIELD).number(s.processingTimeMs())
                .raw(STATS_CLOSE);
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    static void write(JsonGenerator g, Event e) throws IOException {
        g.writeStartObject();
        g.writeFieldName(TYPE);
        g.writeString(e.type().wire());
        switch (e.type()) {
            case ADD, UPDATE, REMOVE -> {
                LogPosition at = e.position();
                g.writeFieldName(DATA);
                // ts of a document written by this very transaction falls back to the event's txn_ts
                TaggedJson.write(g, e.data(), WireFormat.TAGGED, at.txnTs());
                g.writeFieldName(TXN_TS);
                g.writeNumber(at.txnTs());
                g.writeFieldName(CURSOR);
                g.writeString(EventCursor.encode(at));
            }
            case STATUS -> {
                LogPosition at = e.position();
                g.writeFieldName(TXN_TS);
                g.writeNumber(at.txnTs());
                g.writeFieldName(CURSOR);
                g.writeString(EventCursor.encode(at));
            }
            case ERROR -> writeError(g, e.error());
        }
        g.writeFieldName(STATS);
        if (e.stats().isZero()) {
            g.writeRawValue(ZERO_STATS); // the same bytes writeStats writes, without the calls
        } else {
            writeStats(g, e.stats());
        }
        g.writeEndObject();
    }

    /** Stats of an event that cost nothing (status events, request errors). */
    static final String ZERO_STATS =
            "{\"read_ops\":0,\"storage_bytes_read\":0,\"compute_ops\":0,\"processing_time_ms\":0,\"rate_limits_hit\":[]}";

    private static void writeError(JsonGenerator g, Event.ErrorInfo error) throws IOException {
        String code = error == null || error.code() == null ? "internal_error" : error.code();
        String message = error == null || error.message() == null ? "" : error.message();
        g.writeObjectFieldStart("error");
        g.writeStringField("code", code);
        g.writeStringField("message", message);
        if ((error != null && error.abort() != null) || "abort".equals(code)) {
            g.writeFieldName("abort");
            TaggedJson.write(g, error == null || error.abort() == null ? NullValue.NULL : error.abort(),
                    WireFormat.TAGGED, 0);
        }
        g.writeEndObject();
    }

    /** Event and feed stats, in core's field order. */
    static void writeStats(JsonGenerator g, EventStats s) throws IOException {
        g.writeStartObject();
        g.writeFieldName(READ_OPS);
        g.writeNumber(s.readOps());
        g.writeFieldName(STORAGE_BYTES_READ);
        g.writeNumber(s.storageBytesRead());
        g.writeFieldName(COMPUTE_OPS);
        g.writeNumber(s.computeOps());
        g.writeFieldName(PROCESSING_TIME_MS);
        g.writeNumber(s.processingTimeMs());
        g.writeFieldName(RATE_LIMITS_HIT);
        g.writeStartArray();
        g.writeEndArray();
        g.writeEndObject();
    }
}
