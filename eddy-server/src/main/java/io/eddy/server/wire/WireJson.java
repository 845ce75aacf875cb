package io.eddy.server.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;

/**
 * The server's one Jackson {@link JsonFactory}. Factories are thread-safe and expensive to build, so
 * every parser and generator in the server comes from here, with the same rules:
 *
 * <ul>
 *   <li>Duplicate object keys are an error ({@code Duplicate field 'x'}), not "last one wins": a
 *       tagged value with a repeated key would otherwise be read differently by different
 *       implementations.</li>
 *   <li>Nesting is limited to {@value #MAX_NESTING_DEPTH} levels, so the recursive readers stay far
 *       from the end of a virtual thread's stack.</li>
 *   <li>Generators never close the target stream: the stream wraps a pooled {@code ByteBuf} whose
 *       lifetime the HTTP layer owns.</li>
 *   <li>Parsers' and generators' buffers come from one shared pool. Jackson's default pool is per
 *       thread, and every request runs on a new virtual thread, so with it each request would
 *       allocate fresh buffers (several KiB) for each parser and generator.</li>
 * </ul>
 */
public final class WireJson {
    /** The deepest array/object nesting a request body may use. */
    public static final int MAX_NESTING_DEPTH = 512;

    public static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .build();

    private WireJson() {}

    /** Bodies up to this size are parsed from one array: most requests, a few hundred bytes each. */
    private static final int ARRAY_PARSE_MAX = 64 * 1024;

    /**
     * A parser over a request body's readable bytes (the buffer's indexes are left as they are).
     * Small bodies are parsed from an array (the buffer's own, or one copy), which spares Jackson's
     * stream bootstrapping its reads through an {@code InputStream}; large ones are streamed.
     */
    public static JsonParser parser(ByteBuf body) throws java.io.IOException {
        int length = body.readableBytes();
        if (body.hasArray()) {
            return FACTORY.createParser(body.array(), body.arrayOffset() + body.readerIndex(), length);
        }
        if (length <= ARRAY_PARSE_MAX) {
            return FACTORY.createParser(ByteBufUtil.getBytes(body, body.readerIndex(), length, false));
        }
        return FACTORY.createParser((java.io.InputStream) new ByteBufInputStream(body.duplicate()));
    }
}
