package io.eddy.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.eddy.server.wire.WireJson;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Builds complete JSON responses into pooled buffers. Every response body the server sends goes
 * through here, so every one carries {@value #CONTENT_TYPE} and an exact {@code Content-Length}, and
 * none is ever compressed (the JVM driver cannot decompress).
 */
public final class JsonResponses {
    /** Fauna core's JSON content type, byte for byte. */
    public static final String CONTENT_TYPE = "application/json;charset=utf-8";

    /** Writes one JSON document (the whole body) onto a generator. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private JsonResponses() {}

    /**
     * Renders {@code body} into a new buffer and wraps it in a response. On failure the buffer is
     * released and the exception propagates: a half-written JSON body is never sent.
     */
    public static FullHttpResponse json(ByteBufAllocator alloc, HttpResponseStatus status, Body body) throws IOException {
        ByteBuf buf = fragment(alloc, body); // one top-level value: a whole document
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, buf);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, buf.readableBytes());
        return response;
    }

    /**
     * Renders a JSON <em>fragment</em>: the values {@code body} writes at the top level, separated by
     * commas (for instance a run of array elements). The caller owns the returned buffer.
     */
    public static ByteBuf fragment(ByteBufAllocator alloc, Body body) throws IOException {
        ChunkedBufferOutput out = new ChunkedBufferOutput(alloc);
        try {
            try (JsonGenerator g = WireJson.FACTORY.createGenerator(out)) {
                g.setRootValueSeparator(COMMA);
                body.write(g);
            }
        } catch (IOException | RuntimeException | Error e) {
            out.release();
            throw e;
        }
        return out.take();
    }

    /**
     * A response whose body is {@code parts} joined in order, without copying; takes ownership of
     * them. The parts must make one JSON document together.
     */
    public static FullHttpResponse ofParts(ByteBufAllocator alloc, HttpResponseStatus status, List<ByteBuf> parts) {
        CompositeByteBuf body = alloc.compositeBuffer(Math.max(2, parts.size()));
        for (ByteBuf part : parts) {
            body.addComponent(true, part);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    private static final SerializedString COMMA = new SerializedString(",");

    /**
     * A protocol error: {@code {"error":{"code","message"}}} plus {@code query_tags} when the request
     * carried valid tags (Fauna echoes them on every response of the query endpoint).
     *
     * @param queryTags the {@code k=v,...} string to echo, or null
     */
    public static FullHttpResponse error(ByteBufAllocator alloc, ProtocolException error, String queryTags) {
        try {
            return json(alloc, error.code().status(), g -> {
                g.writeStartObject();
                writeErrorObject(g, error.code().code(), error.getMessage());
                if (queryTags != null) {
                    g.writeStringField("query_tags", queryTags);
                }
                g.writeEndObject();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a buffer cannot fail", e);
        }
    }

    public static FullHttpResponse error(ByteBufAllocator alloc, ProtocolException error) {
        return error(alloc, error, null);
    }

    /** {@code "error": {"code": ..., "message": ...}} as a field of the current object. */
    public static void writeErrorObject(JsonGenerator g, String code, String message) throws IOException {
        g.writeObjectFieldStart("error");
        g.writeStringField("code", code);
        g.writeStringField("message", message);
        g.writeEndObject();
    }
}
