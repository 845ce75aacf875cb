package io.eddy.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.eddy.server.testing.WireAssertions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * An HTTP/1.1 request pipeline (codec, aggregator, dispatcher) on an {@link EmbeddedChannel}, fed raw
 * request bytes, with responses decoded by a client-side decoder. Single-threaded: endpoints run on
 * the given executor, by default the calling thread.
 */
public final class HttpHarness implements AutoCloseable {
    public static final String SECRET = "secret";

    /** A decoded response; its buffer already released. */
    public record Response(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            return WireAssertions.parse(body);
        }

        public String errorCode() {
            return json().path("error").path("code").asText(null);
        }

        public String errorMessage() {
            return json().path("error").path("message").asText(null);
        }
    }

    public final EmbeddedChannel server;
    private final EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 24));

    public HttpHarness(List<? extends Endpoint> endpoints, int maxRequestBytes, Executor executor) {
        server = new EmbeddedChannel(new HttpServerCodec(), new BoundedAggregator(maxRequestBytes),
                new RequestDispatcher(new Router(endpoints), new Authenticator(SECRET), executor, maxRequestBytes));
    }

    public HttpHarness(List<? extends Endpoint> endpoints) {
        this(endpoints, 1 << 20, Runnable::run);
    }

    /** Writes raw request bytes ({@code \n} is sent as CRLF in the head). */
    public void sendRaw(String raw) {
        server.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
    }

    public void sendRaw(ByteBuf raw) {
        server.writeInbound(raw);
    }

    /**
     * A request with {@code Authorization: Bearer secret} unless {@code headers} say otherwise;
     * {@code headers} are "Name: value" lines.
     */
    public void send(String method, String uri, String body, String... headers) {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(uri).append(" HTTP/1.1\r\nHost: test\r\n");
        boolean auth = false;
        for (String h : headers) {
            sb.append(h).append("\r\n");
            auth |= h.regionMatches(true, 0, "authorization:", 0, 14);
        }
        if (!auth) {
            sb.append("Authorization: Bearer ").append(SECRET).append("\r\n");
        }
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            sb.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        sb.append("\r\n");
        ByteBuf buf = Unpooled.buffer();
        buf.writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1)).writeBytes(bytes);
        sendRaw(buf);
    }

    /** Sends one request and returns the one response it produced. */
    public Response call(String method, String uri, String body, String... headers) {
        send(method, uri, body, headers);
        List<Response> rs = responses();
        if (rs.size() != 1) {
            throw new AssertionError("expected one response, got " + rs.size());
        }
        return rs.getFirst();
    }

    /** All responses written so far, decoded. */
    public List<Response> responses() {
        server.runPendingTasks();
        Object out;
        while ((out = server.readOutbound()) != null) {
            client.writeInbound(out);
        }
        List<Response> rs = new ArrayList<>();
        FullHttpResponse r;
        while ((r = client.readInbound()) != null) {
            try {
                rs.add(new Response(r.status().code(), r.headers().copy(), r.content().toString(StandardCharsets.UTF_8)));
            } finally {
                r.release();
            }
        }
        return rs;
    }

    @Override
    public void close() {
        server.finishAndReleaseAll();
        client.finishAndReleaseAll();
    }
}
