package io.eddy.server.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads one value from a parser positioned on the value's first token, leaving the parser on its
 * last token (the usual Jackson convention, so callers continue with {@code nextToken()}).
 *
 * <p>The tagged rules follow Fauna core's {@code UndecidedValue.parseTagged}: an object with any
 * {@code @} key must have exactly that one key; raw numbers are rejected; {@code @set} and
 * {@code @stream} are output-only; {@code @ref}/{@code @doc} need {@code coll} as a module plus a
 * numeric {@code id} (or a {@code name} for schema collections). Whether a {@code @mod} names a real
 * module is for the interpreter to decide: the codec knows no schema.
 */
final class ValueReader {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private ValueReader() {}

    static Value readTagged(JsonParser p) throws IOException, InvalidValueException {
        JsonToken t = p.currentToken();
        return switch (t) {
            case VALUE_STRING -> new StringValue(p.getText());
            case VALUE_TRUE -> BoolValue.TRUE;
            case VALUE_FALSE -> BoolValue.FALSE;
            case VALUE_NULL -> NullValue.NULL;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> throw new InvalidValueException("numbers must be tagged");
            case START_ARRAY -> {
                List<Value> elements = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(readTagged(p));
                }
                yield new ArrayValue(elements);
            }
            case START_OBJECT -> readTaggedObject(p);
            default -> throw new InvalidValueException("unexpected JSON token " + t);
        };
    }

    static Value readSimple(JsonParser p) throws IOException, InvalidValueException {
        JsonToken t = p.currentToken();
        return switch (t) {
            case VALUE_STRING -> new StringValue(p.getText());
            case VALUE_TRUE -> BoolValue.TRUE;
            case VALUE_FALSE -> BoolValue.FALSE;
            case VALUE_NULL -> NullValue.NULL;
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> new IntValue(p.getIntValue());
                case LONG -> new LongValue(p.getLongValue());
                default -> throw new InvalidValueException("integer " + p.getText() + " is out of range for a Long");
            };
            case VALUE_NUMBER_FLOAT -> new DoubleValue(p.getDoubleValue());
            case START_ARRAY -> {
                List<Value> elements = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(readSimple(p));
                }
                yield new ArrayValue(elements);
            }
            case START_OBJECT -> {
                LinkedHashMap<String, Value> fields = new LinkedHashMap<>();
                String name;
                while ((name = p.nextFieldName()) != null) {
                    p.nextToken();
                    fields.put(name, readSimple(p));
                }
                yield ObjectValue.ofOwned(fields);
            }
            default -> throw new InvalidValueException("unexpected JSON token " + t);
        };
    }

    /** On START_OBJECT: a tagged value ({@code {"@tag": x}}) or a plain object of tagged values. */
    private static Value readTaggedObject(JsonParser p) throws IOException, InvalidValueException {
        String first = p.nextFieldName();
        if (first == null) {
            return ObjectValue.EMPTY;
        }
        if (first.startsWith("@")) {
            p.nextToken();
            Value v = readTag(first, p);
            if (p.nextToken() != JsonToken.END_OBJECT) {
                throw new InvalidValueException("too many keys in tagged value");
            }
            return v;
        }
        LinkedHashMap<String, Value> fields = new LinkedHashMap<>();
        String name = first;
        do {
            if (name.startsWith("@")) {
                throw new InvalidValueException("too many keys in tagged value");
            }
            p.nextToken();
            fields.put(name, readTagged(p));
        } while ((name = p.nextFieldName()) != null);
        return ObjectValue.ofOwned(fields);
    }

    /** The fields of a JSON object whose keys are taken literally ({@code @object}'s content). */
    private static ObjectValue readLiteralKeyObject(JsonParser p, String tag) throws IOException, InvalidValueException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidValueException(tag + " requires an object value");
        }
        LinkedHashMap<String, Value> fields = new LinkedHashMap<>();
        String name;
        while ((name = p.nextFieldName()) != null) {
            p.nextToken();
            fields.put(name, readTagged(p));
        }
        return ObjectValue.ofOwned(fields);
    }

    private static Value readTag(String tag, JsonParser p) throws IOException, InvalidValueException {
        return switch (tag) {
            case Tags.INT -> {
                String s = requireString(p, tag);
                try {
                    yield new IntValue(Integer.parseInt(s));
                } catch (NumberFormatException e) {
                    throw new InvalidValueException("invalid integer '" + s + "'");
                }
            }
            case Tags.LONG -> {
                String s = requireString(p, tag);
                try {
                    yield new LongValue(Long.parseLong(s));
                } catch (NumberFormatException e) {
                    throw new InvalidValueException("invalid long '" + s + "'");
                }
            }
            case Tags.DOUBLE -> new DoubleValue(parseDouble(requireString(p, tag)));
            case Tags.OBJECT -> readLiteralKeyObject(p, tag);
            case Tags.TIME -> new TimeValue(parseTime(requireString(p, tag)));
            case Tags.DATE -> {
                String s = requireString(p, tag);
                try {
                    yield new DateValue(LocalDate.parse(s));
                } catch (DateTimeException e) {
                    throw new InvalidValueException("invalid date '" + s + "'");
                }
            }
            case Tags.BYTES -> {
                String s = requireString(p, tag);
                try {
                    yield new BytesValue(Base64.getDecoder().decode(s));
                } catch (IllegalArgumentException e) {
                    throw new InvalidValueException("invalid bytes: not standard base64");
                }
            }
            case Tags.MOD -> {
                String s = requireString(p, tag);
                if (s.isEmpty()) {
                    throw new InvalidValueException("@mod requires a module name");
                }
                yield new ModuleValue(s);
            }
            case Tags.REF, Tags.DOC -> readRef(p, tag);
            case Tags.SET, Tags.STREAM ->
                    throw new InvalidValueException(tag + " values are output only and not accepted as input");
            default -> throw new InvalidValueException("invalid tag '" + tag + "'");
        };
    }

    /**
     * {@code @ref} and {@code @doc} (a document sent back by a client is just a reference to it): the
     * content is read as a tagged object, then checked as Fauna core checks it.
     */
    private static Value readRef(JsonParser p, String tag) throws IOException, InvalidValueException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidValueException(tag + " requires an object value");
        }
        if (!(readTaggedObject(p) instanceof ObjectValue fields)) {
            throw new InvalidValueException(tag + " requires an object value");
        }
        if (!fields.has("coll")) {
            throw new InvalidValueException(tag + " field 'coll' is required");
        }
        if (!(fields.get("coll") instanceof ModuleValue(String coll))) {
            throw new InvalidValueException(tag + " field 'coll' requires a module value");
        }
        if (Tags.isSchemaCollection(coll)) {
            if (!fields.has("name")) {
                throw new InvalidValueException(tag + " field 'name' is required");
            }
            if (!(fields.get("name") instanceof StringValue name)) {
                throw new InvalidValueException(tag + " field 'name' requires a string value");
            }
            return new DocRefValue(coll, name.value());
        }
        if (!fields.has("id")) {
            throw new InvalidValueException(tag + " field 'id' is required");
        }
        if (!(fields.get("id") instanceof StringValue idValue)) {
            throw new InvalidValueException(tag + " field 'id' requires a string value");
        }
        String id = idValue.value();
        try {
            Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new InvalidValueException(tag + " field 'id' must be an integer");
        }
        return new DocRefValue(coll, id);
    }

    private static String requireString(JsonParser p, String tag) throws IOException, InvalidValueException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new InvalidValueException(tag + " requires a string value");
        }
        return p.getText();
    }

    private static double parseDouble(String s) throws InvalidValueException {
        // Double.parseDouble also takes "1d", "0x1p3" and padding; accept only decimal notation and
        // the three names Double.toString produces.
        if (!DECIMAL.matcher(s).matches() && !s.equals("NaN") && !s.equals("Infinity") && !s.equals("-Infinity")) {
            throw new InvalidValueException("invalid double '" + s + "'");
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new InvalidValueException("invalid double '" + s + "'");
        }
    }

    private static Instant parseTime(String s) throws InvalidValueException {
        try {
            return Instant.parse(s);
        } catch (DateTimeException e) {
            try {
                return OffsetDateTime.parse(s).toInstant(); // "+02:00" offsets, as the JS regex allows
            } catch (DateTimeException e2) {
                throw new InvalidValueException("invalid time '" + s + "'");
            }
        }
    }
}
