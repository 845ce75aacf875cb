package io.eddy.server.endpoint;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.eddy.core.value.Value;
import io.eddy.fql.api.TemplateNode;
import io.eddy.server.http.ProtocolException;
import io.eddy.server.wire.InvalidValueException;
import io.eddy.server.wire.TaggedJson;
import io.eddy.server.wire.WireFormat;
import io.eddy.server.wire.WireJson;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@code /query/1} body, {@code {"query": <string | template>, "arguments"?: {...}}}, in one
 * streaming pass.
 *
 * <p>The template grammar (core: {@code FQL2Query}) is a tree of one-key objects:
 * {@code {"fql":[string | node, ...]}} (source text and nested nodes), {@code {"value": v}} (an
 * interpolated value, always read as tagged whatever {@code X-Format} says),
 * {@code {"array":[node, ...]}} and {@code {"object":{"k": node}}}. As in core, a bare string inside
 * an array or object node is FQL source, and becomes a nested {@code fql} node so the interpreter
 * parenthesises it. {@code arguments} values follow {@code X-Format}.
 *
 * <p>Unknown top-level fields are ignored, as core's record decoder does, so a newer driver adding
 * a field does not break. Every other deviation is an {@code invalid_request} that names the problem
 * and, for template and value errors, where it is (a JSON pointer such as {@code /query/fql/1/value}).
 */
final class QueryBodyParser {

    /** A parsed body: the query as a template, and the top-level arguments. */
    record QueryBody(TemplateNode.Fql query, Map<String, Value> arguments) {}

    private static final String NODE_SHAPE = "expected an object with a single key 'fql', 'value', 'array' or 'object'";

    private QueryBodyParser() {}

    static QueryBody parse(ByteBuf body, WireFormat argumentsFormat) throws ProtocolException {
        if (body == null || !body.isReadable()) {
            throw ProtocolException.noBody();
        }
        try (JsonParser p = WireJson.parser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw ProtocolException.noBody();
            }
            if (first != JsonToken.START_OBJECT) {
                throw ProtocolException.invalidBody("expected a JSON object, found " + describe(first));
            }
            TemplateNode.Fql query = null;
            Map<String, Value> arguments = Map.of();
            String field;
            while ((field = p.nextFieldName()) != null) {
                JsonToken t = p.nextToken();
                switch (field) {
                    case "query" -> query = readQuery(p, t);
                    case "arguments" -> arguments = readArguments(p, t, argumentsFormat);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw ProtocolException.invalidBody("unexpected content after the JSON object");
            }
            if (query == null) {
                throw ProtocolException.invalidBody("Value for key query not found.");
            }
            return new QueryBody(query, arguments);
        } catch (StreamConstraintsException e) {
            String m = e.getOriginalMessage();
            throw ProtocolException.invalidBody(m != null && m.contains("nesting depth")
                    ? "JSON exceeds nesting limit of " + WireJson.MAX_NESTING_DEPTH : m);
        } catch (JsonProcessingException e) {
            throw ProtocolException.invalidBody(e.getOriginalMessage() + where(e.getLocation()));
        } catch (IOException e) {
            // Reading from a buffer in memory: only malformed input can get here.
            throw ProtocolException.invalidBody(String.valueOf(e.getMessage()));
        }
    }

    private static TemplateNode.Fql readQuery(JsonParser p, JsonToken t) throws IOException, ProtocolException {
        return switch (t) {
            case VALUE_STRING -> TemplateNode.Fql.of(p.getText());
            case START_OBJECT -> switch (readNode(p)) {
                case TemplateNode.Fql fql -> fql;
                case TemplateNode other -> new TemplateNode.Fql(List.of(other)); // {"value":…} as the whole query
            };
            default -> throw ProtocolException.invalidBody(
                    "`query` must be a string or a query template object, found " + describe(t));
        };
    }

    private static Map<String, Value> readArguments(JsonParser p, JsonToken t, WireFormat format)
            throws IOException, ProtocolException {
        if (t == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        if (t != JsonToken.START_OBJECT) {
            throw ProtocolException.invalidBody("`arguments` must be an object, found " + describe(t));
        }
        Map<String, Value> args = new LinkedHashMap<>();
        String name;
        while ((name = p.nextFieldName()) != null) {
            p.nextToken();
            try {
                args.put(name, TaggedJson.read(p, format));
            } catch (InvalidValueException e) {
                throw ProtocolException.invalidArgument(name, e.getMessage());
            }
        }
        return Collections.unmodifiableMap(args);
    }

    /** On the START_OBJECT of a template node; leaves the parser on its END_OBJECT. */
    private static TemplateNode readNode(JsonParser p) throws IOException, ProtocolException {
        String key = p.nextFieldName();
        if (key == null) {
            throw templateError(p, NODE_SHAPE + ", found an empty object");
        }
        JsonToken t = p.nextToken();
        TemplateNode node = switch (key) {
            case "fql" -> {
                expect(p, t, JsonToken.START_ARRAY, "'fql' must be an array of strings and template nodes");
                List<TemplateNode> parts = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    parts.add(switch (e) {
                        case VALUE_STRING -> new TemplateNode.Text(p.getText());
                        case START_OBJECT -> readNode(p);
                        default -> throw templateError(p, "'fql' parts must be strings or template nodes, found " + describe(e));
                    });
                }
                yield new TemplateNode.Fql(parts);
            }
            case "value" -> {
                try {
                    yield new TemplateNode.ValueNode(TaggedJson.read(p, WireFormat.TAGGED));
                } catch (InvalidValueException ex) {
                    throw ProtocolException.invalidBody("invalid value" + at(p) + ": " + ex.getMessage());
                }
            }
            case "array" -> {
                expect(p, t, JsonToken.START_ARRAY, "'array' must be an array of template nodes");
                List<TemplateNode> elements = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    elements.add(readElement(p, e));
                }
                yield new TemplateNode.ArrayNode(elements);
            }
            case "object" -> {
                expect(p, t, JsonToken.START_OBJECT, "'object' must be an object of template nodes");
                Map<String, TemplateNode> fields = new LinkedHashMap<>();
                String name;
                while ((name = p.nextFieldName()) != null) {
                    fields.put(name, readElement(p, p.nextToken()));
                }
                yield new TemplateNode.ObjectNode(Collections.unmodifiableMap(fields));
            }
            default -> throw templateError(p, NODE_SHAPE + ", found key '" + key + "'");
        };
        if (p.nextToken() != JsonToken.END_OBJECT) {
            throw templateError(p, NODE_SHAPE + ", found more than one key");
        }
        return node;
    }

    /** An element of an array or object node: a node, or a bare string of FQL source. */
    private static TemplateNode readElement(JsonParser p, JsonToken t) throws IOException, ProtocolException {
        return switch (t) {
            case START_OBJECT -> readNode(p);
            case VALUE_STRING -> new TemplateNode.Fql(List.of(new TemplateNode.Text(p.getText())));
            default -> throw templateError(p, NODE_SHAPE + ", found " + describe(t));
        };
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, String message) throws ProtocolException {
        if (actual != expected) {
            throw templateError(p, message + ", found " + describe(actual));
        }
    }

    private static ProtocolException templateError(JsonParser p, String message) {
        return ProtocolException.invalidBody("invalid query template" + at(p) + ": " + message);
    }

    /** " at /query/fql/1" for the parser's current position. */
    private static String at(JsonParser p) {
        String pointer = p.getParsingContext().pathAsPointer().toString();
        return pointer.isEmpty() ? "" : " at " + pointer;
    }

    private static String where(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 0 ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> String.valueOf(t);
        };
    }
}
