package io.eddy.server.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.eddy.core.value.DocumentValue;
import io.eddy.core.value.Value;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * Entry point of the wire codec: FQL values to JSON and back, in either {@link WireFormat}.
 *
 * <h2>Output</h2>
 * {@link #write} emits a value onto a Jackson generator. In the tagged format it never emits a raw
 * JSON number (the JVM driver rejects one inside {@code data}): {@code Int} becomes
 * {@code {"@int":"1"}}, {@code Long} {@code {"@long":"1"}}, {@code Double}
 * {@code {"@double":"1.5"}} (Java {@code Double.toString}). Times are ISO-8601 UTC with {@code Z},
 * keeping whatever sub-second precision they have. Documents are {@code @doc} with {@code id} (or
 * {@code name}), {@code coll} as {@code @mod}, {@code ts} as {@code @time}, then the user fields;
 * references and missing documents are {@code @ref} (the latter with {@code exists:false} and its
 * {@code cause}); set pages {@code @set}; event sources {@code @stream}; an object with any key
 * starting with {@code @} is wrapped in {@code @object}. The simple format writes the same shapes
 * untagged: plain numbers, strings for times and modules, plain objects for documents, null for a
 * missing document, the token string for an event source.
 *
 * <h2>Input</h2>
 * {@link #read} reads a request value. Template {@code value} nodes are always tagged; top-level
 * {@code arguments} follow {@code X-Format}. See {@link ValueReader} for the tagged input rules. A
 * rejected value raises {@link InvalidValueException} with a lower-case reason; malformed JSON raises
 * Jackson's {@link JsonProcessingException}.
 */
public final class TaggedJson {
    private TaggedJson() {}

    /**
     * Writes {@code value} in {@code format}.
     *
     * @param txnTs the response's transaction time in microseconds, written as the {@code ts} of any
     *     document the transaction itself wrote ({@link DocumentValue#PENDING_TS})
     */
    public static void write(JsonGenerator g, Value value, WireFormat format, long txnTs) throws IOException {
        new ValueWriter(format, txnTs).write(g, value);
    }

    /** {@code value} as a JSON string; for tests, logs and small payloads. */
    public static String toJson(Value value, WireFormat format, long txnTs) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = WireJson.FACTORY.createGenerator(out)) {
            write(g, value, format, txnTs);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * Reads the value whose first token is the parser's current token, leaving the parser on the
     * value's last token.
     */
    public static Value read(JsonParser p, WireFormat format) throws IOException, InvalidValueException {
        return format == WireFormat.TAGGED ? ValueReader.readTagged(p) : ValueReader.readSimple(p);
    }

    /** Parses a whole JSON text holding exactly one value. */
    public static Value parse(String json, WireFormat format) throws IOException, InvalidValueException {
        try (JsonParser p = WireJson.FACTORY.createParser(json)) {
            if (p.nextToken() == null) {
                throw new InvalidValueException("no value");
            }
            Value v = read(p, format);
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new InvalidValueException("unexpected content after the value");
            }
            return v;
        }
    }
}
