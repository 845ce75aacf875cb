package io.eddy.server.endpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.eddy.server.http.ProtocolException;
import io.eddy.server.wire.WireJson;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.Locale;

/**
 * Reads the body shared by {@code /stream/1} and {@code /feed/1}:
 * {@code {"token": string, "cursor"?: string, "start_ts"?: long, "page_size"?: int}}, in one pass.
 *
 * <p>Mirrors core's record decoder ({@code JsonDecoder.Record("token", "start_ts", "cursor", ...)}):
 * unknown fields are ignored, a missing {@code token} is {@code Value for key token not found.}, and
 * a value of the wrong JSON type is {@code Unexpected <type> value '<text>'.} (core's exact words for
 * a string where a number belongs). A {@code null} optional field counts as absent, as core's
 * {@code Option} decoding does. Fields only feeds know ({@code page_size}) are skipped unread on
 * streams, like any other unknown field.
 */
final class EventSourceBodyParser {

    /** The fields as sent; absent ones null. Semantic checks are the request classes' job. */
    record Fields(String token, String cursor, Long startTs, Long pageSize) {}

    private EventSourceBodyParser() {}

    /**
     * @param withPageSize whether {@code page_size} is a field of this endpoint (feeds)
     * @throws ProtocolException {@code invalid_request}: {@code No request body provided}, or
     *     {@code Invalid request body: ...} for malformed JSON, a wrong type or a missing token
     */
    static Fields parse(ByteBuf body, boolean withPageSize) throws ProtocolException {
        if (body == null || !body.isReadable()) {
            throw ProtocolException.noBody();
        }
        try (JsonParser p = WireJson.parser(body)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw ProtocolException.noBody();
            }
            if (first != JsonToken.START_OBJECT) {
                throw unexpected(p, first);
            }
            String token = null;
            String cursor = null;
            Long startTs = null;
            Long pageSize = null;
            String field;
            while ((field = p.nextFieldName()) != null) {
                JsonToken t = p.nextToken();
                switch (field) {
                    case "token" -> token = string(p, t);
                    case "cursor" -> cursor = string(p, t);
                    case "start_ts" -> startTs = integer(p, t);
                    case "page_size" -> {
                        if (withPageSize) {
                            pageSize = integer(p, t);
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw ProtocolException.invalidBody("unexpected content after the JSON object.");
            }
            if (token == null) {
                throw ProtocolException.invalidBody("Value for key token not found.");
            }
            return new Fields(token, cursor, startTs, pageSize);
        } catch (StreamConstraintsException e) {
            throw ProtocolException.invalidBody(e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ProtocolException.invalidBody(e.getOriginalMessage());
        } catch (IOException e) {
            // Reading from a buffer in memory: only malformed input can get here.
            throw ProtocolException.invalidBody(String.valueOf(e.getMessage()));
        }
    }

    private static String string(JsonParser p, JsonToken t) throws IOException, ProtocolException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NULL -> null;
            default -> throw unexpected(p, t);
        };
    }

    /** A JSON integer that fits a long; anything else (a string, a fraction, 2^63) is refused. */
    private static Long integer(JsonParser p, JsonToken t) throws IOException, ProtocolException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return p.getLongValue();
        }
        throw unexpected(p, t);
    }

    private static ProtocolException unexpected(JsonParser p, JsonToken t) throws IOException {
        String what = switch (t) {
            case VALUE_STRING -> "string value '" + p.getText() + "'";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number value '" + p.getText() + "'";
            case VALUE_TRUE, VALUE_FALSE -> "boolean value '" + p.getText() + "'";
            case START_OBJECT -> "object value";
            case START_ARRAY -> "array value";
            default -> String.valueOf(t).toLowerCase(Locale.ROOT) + " value";
        };
        return ProtocolException.invalidBody("Unexpected " + what + ".");
    }
}
