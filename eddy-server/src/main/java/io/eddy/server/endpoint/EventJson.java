package io.eddy.server.endpoint;

import com.fasterxml.jackson.core.JsonGenerator;
import io.eddy.core.changelog.LogPosition;
import io.eddy.core.value.NullValue;
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

    static void write(JsonGenerator g, Event e) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", e.type().wire());
        switch (e.type()) {
            case ADD, UPDATE, REMOVE -> {
                LogPosition at = e.position();
                g.writeFieldName("data");
                // ts of a document written by this very transaction falls back to the event's txn_ts
                TaggedJson.write(g, e.data(), WireFormat.TAGGED, at.txnTs());
                g.writeNumberField("txn_ts", at.txnTs());
                g.writeStringField("cursor", EventCursor.encode(at));
            }
            case STATUS -> {
                LogPosition at = e.position();
                g.writeNumberField("txn_ts", at.txnTs());
                g.writeStringField("cursor", EventCursor.encode(at));
            }
            case ERROR -> writeError(g, e.error());
        }
        g.writeFieldName("stats");
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
        g.writeNumberField("read_ops", s.readOps());
        g.writeNumberField("storage_bytes_read", s.storageBytesRead());
        g.writeNumberField("compute_ops", s.computeOps());
        g.writeNumberField("processing_time_ms", s.processingTimeMs());
        g.writeArrayFieldStart("rate_limits_hit");
        g.writeEndArray();
        g.writeEndObject();
    }
}
